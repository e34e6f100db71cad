"""Finding models on disk: user folders (A1111, ComfyUI, InvokeAI layouts) and the HF cache."""

"""Tiny random-weight causal language models with a real tokenizer, built offline.

Tests use them to exercise the real loading and generation code; the studio may offer
them as clearly labelled demo models. They are untrained: their replies are noise.
"""

from __future__ import annotations

from pathlib import Path

from studio.demo_models import DEMO_NOTE
from studio.models.loading.quiet import quiet_transformers

__all__ = ["CODE_EXAMPLE", "DEMO_NOTE", "build_text_tokenizer", "build_tiny_llama"]

EOS, PAD = "<|endoftext|>", "<|pad|>"
# ChatML, as many chat models use it: the turn markers are special tokens.
CHAT_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{{ message['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
FIM_TOKENS = {
    "starcoder": ["<fim_prefix>", "<fim_middle>", "<fim_suffix>", "<fim_pad>"],
    "qwen": ["<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|fim_pad|>"],
}
# A (prompt, reply) pair to `memorize`: a reply with a code block and a word to stop at.
CODE_EXAMPLE = (
    "Write add in Python",
    "Here you go:\n```python\ndef add(a, b):\n    return a + b\n```\nDone. STOP here.",
)
_CORPUS = [
    "The quick brown fox jumps over the lazy dog.",
    "A lighthouse stands at the edge of the sea, and its light turns all night.",
    "Hello! How can I help you today? Here is a short answer.",
    "def add(a, b):\n    return a + b\n",
    "for i in range(10):\n    print(i)\n",
    "function greet(name) { return `Hello, ${name}`; }",
    "```python\nimport os\nprint(os.getcwd())\n```",
    "SELECT name, price FROM products WHERE price > 10 ORDER BY name;",
]


def build_text_tokenizer(chat: bool = True, fim: str | None = None, vocab_size: int = 300):  # type: ignore[no-untyped-def]
    """A byte-level BPE tokenizer trained in-process on a few sentences (no download)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    quiet_transformers()
    from transformers import PreTrainedTokenizerFast

    specials = [EOS, PAD, *(["<|im_start|>", "<|im_end|>"] if chat else [])]
    specials += FIM_TOKENS[fim] if fim else []
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=specials,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False,
    )  # fmt: skip
    tokenizer.train_from_iterator(_CORPUS * 4, trainer)
    wrapped = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, bos_token=EOS, eos_token=EOS, pad_token=PAD,
        clean_up_tokenization_spaces=False, model_max_length=4096,
    )  # fmt: skip
    if chat:
        wrapped.chat_template = CHAT_TEMPLATE
    return wrapped


def build_tiny_llama(
    folder: Path,
    *,
    chat: bool = True,
    fim: str | None = None,
    hidden: int = 32,
    layers: int = 2,
    heads: int = 4,
    kv_heads: int = 2,
    context: int = 256,
    seed: int = 0,
    memorize: tuple[tuple[str, str], ...] = (),
) -> Path:
    """A Llama-architecture causal LM (a few hundred KB at the defaults), saved as safetensors.

    `chat` gives the tokenizer a ChatML template (without it, the studio's fallback applies);
    `fim` ("starcoder" or "qwen") adds that family's fill-in-the-middle tokens.
    `memorize` (prompt, reply) pairs are trained in (a second or two) so that greedy
    decoding of that prompt gives that reply: readable, predictable text for tests.
    """
    import torch
    from transformers import GenerationConfig, LlamaConfig, LlamaForCausalLM

    quiet_transformers()

    tokenizer = build_text_tokenizer(chat=chat, fim=fim)
    eos = tokenizer.convert_tokens_to_ids(EOS)
    stop_ids = [eos] + ([tokenizer.convert_tokens_to_ids("<|im_end|>")] if chat else [])
    config = LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=hidden, intermediate_size=2 * hidden,
        num_hidden_layers=layers, num_attention_heads=heads, num_key_value_heads=kv_heads,
        max_position_embeddings=context, bos_token_id=eos, eos_token_id=stop_ids,
        pad_token_id=tokenizer.convert_tokens_to_ids(PAD), tie_word_embeddings=True,
    )  # fmt: skip
    torch.manual_seed(seed)
    model = LlamaForCausalLM(config)
    if memorize:
        _memorize(model, tokenizer, memorize)
    model.generation_config = GenerationConfig(
        bos_token_id=eos, eos_token_id=stop_ids, pad_token_id=config.pad_token_id
    )
    model.save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)
    return folder


def _memorize(model, tokenizer, pairs: tuple[tuple[str, str], ...]) -> None:  # type: ignore[no-untyped-def]
    """Overfit the model on each prompt followed by its reply and the end token."""
    import torch

    sequences = []
    for prompt, reply in pairs:
        if tokenizer.chat_template:
            messages = [{"role": "user", "content": prompt}]
            ids = tokenizer.apply_chat_template(
                messages, add_generation_prompt=True, tokenize=True, return_dict=False
            )
        else:
            ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
        reply_ids = tokenizer(reply, add_special_tokens=False)["input_ids"]
        sequences.append(torch.tensor([[*ids, *reply_ids, tokenizer.eos_token_id]]))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
    model.train()
    for _step in range(400):
        losses = [model(input_ids=ids, labels=ids).loss for ids in sequences]
        loss = torch.stack(losses).sum()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        if max(item.item() for item in losses) < 0.01:
            break
    model.eval()

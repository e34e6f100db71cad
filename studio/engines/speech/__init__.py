"""The speech engine: VITS/MMS-TTS, SpeechT5 and Bark over transformers.

Import `studio.engines.speech.engine.SpeechEngine` to run models; `sentences` and
`speakers` need no torch (the runtime checks inputs with them before loading).
"""

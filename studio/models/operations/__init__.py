"""What the front ends do to models: import, verify, scan, forget, detect other apps' model
stores and add them, and a few reads.

The GUI and the CLI call these and only phrase the plain results (the GUI in the user's
language, the CLI in English). Besides the catalog, this is all of studio.models the GUI
may import (an import-linter contract in pyproject.toml holds it to that). A refusal is
a Refused: a ModelError whose line is English and whose reason and details let a front
end say it its own way.
"""

from studio.models.discovery.hf_cache import hf_cache_dir
from studio.models.discovery.stores import DetectedStore
from studio.models.operations.forgetting import forget_model, forget_removed_folders
from studio.models.operations.importing import (
    MODEL_SUFFIXES,
    ImportResult,
    import_file,
    import_pack_file,
)
from studio.models.operations.refused import Reason, Refused
from studio.models.operations.scanning import ScanResult, remember_folder, scan_folders
from studio.models.operations.stores import add_model_stores, detect_model_stores
from studio.models.operations.verifying import VerifyResult, verify_model
from studio.models.translate_languages import model_languages

__all__ = [
    "MODEL_SUFFIXES",
    "DetectedStore",
    "ImportResult",
    "Reason",
    "Refused",
    "ScanResult",
    "VerifyResult",
    "add_model_stores",
    "detect_model_stores",
    "forget_model",
    "forget_removed_folders",
    "hf_cache_dir",
    "import_file",
    "import_pack_file",
    "model_languages",
    "remember_folder",
    "scan_folders",
    "verify_model",
]

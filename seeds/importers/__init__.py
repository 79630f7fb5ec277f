"""Importers of the big event datasets' files: UCDP GED CSV and GDELT event exports.

Each importer maps a file's rows to seed records (`schema.records`) of one dataset, losing
nothing the model can hold; `load_imported` then loads them through the seed loader's checks
and its one-transaction replace, exactly as `eventql seed` loads files.
"""

from seeds.importers.collect import Imported
from seeds.importers.gdelt import import_gdelt
from seeds.importers.load import load_imported, validate_imported
from seeds.importers.ucdp import import_ucdp

__all__ = ["Imported", "import_gdelt", "import_ucdp", "load_imported", "validate_imported"]

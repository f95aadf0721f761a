"""Where the classifier's data lives in the package."""

from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
LEXICONS = DATA / "lexicons"
TRAINING_FILE = DATA / "train" / "messages.csv"
MODEL_FILE = DATA / "model" / "classifier.zip"

"""The installed wirestream version, stamped on every record."""

from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("wirestream")
except PackageNotFoundError:  # running from a source tree that is not installed
    VERSION = "0+unknown"

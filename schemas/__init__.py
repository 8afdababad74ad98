"""The Avro schemas (``*.avsc``), shipped as package data so an installed wirestream finds them."""

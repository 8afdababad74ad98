"""One SCRAM-over-TLS connection, as kafka-python settings and as `wirestream run` flags, for the Kafka tests."""

SCRAM = {
    "bootstrap_servers": ["k:9093"],
    "security_protocol": "SASL_SSL",
    "sasl_mechanism": "SCRAM-SHA-512",
    "sasl_plain_username": "wire",
    "sasl_plain_password": "s3cret",
    "ssl_cafile": "/etc/kafka/ca.pem",
}
RUN_ARGS = [
    "--bootstrap-servers=k:9093",
    "--kafka-security-protocol=SASL_SSL",
    "--kafka-sasl-mechanism=SCRAM-SHA-512",
    "--kafka-sasl-username=wire",
    "--kafka-sasl-password=s3cret",
    "--kafka-ssl-cafile=/etc/kafka/ca.pem",
]

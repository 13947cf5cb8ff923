"""PEM certificates made at test time with `cryptography` (no private key is committed)."""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def make_pem(
    common_name: str, *, not_before: float, not_after: float, org: str = "Test Org"
) -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime.fromtimestamp(not_before, dt.UTC))
        .not_valid_after(dt.datetime.fromtimestamp(not_after, dt.UTC))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def fingerprint(pem: str) -> str:
    cert = x509.load_pem_x509_certificate(pem.encode())
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def valid_pem(now: float, common_name: str = "client.acme.example", days: float = 365) -> str:
    return make_pem(common_name, not_before=now - 86400, not_after=now + days * 86400)


def expired_pem(now: float, common_name: str = "old.acme.example") -> str:
    return make_pem(common_name, not_before=now - 400 * 86400, not_after=now - 86400)

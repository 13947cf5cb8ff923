"""PEM certificates for the sandbox: parsing an upload (with the `cryptography` package) and
making the demo organisation's certificates (deterministic: Ed25519 signatures are)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.x509.oid import NameOID

MAX_PEM = 64 * 1024


@dataclass(frozen=True)
class ParsedCert:
    fingerprint: str  # SHA-256 of the DER, colon-separated upper-case hex
    subject: str  # RFC 4514
    valid_at: int
    expires_at: int
    pem: str


class BadCertificate(ValueError):
    """A PEM that is not one X.509 certificate (the message says why, quoting nothing)."""


def fingerprint_of(der: bytes) -> str:
    return ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())


def parse_pem(text: str) -> ParsedCert:
    if len(text) > MAX_PEM:
        raise BadCertificate(f"the certificate is too long (over {MAX_PEM // 1024} KB)")
    if "-----BEGIN CERTIFICATE-----" not in text:
        raise BadCertificate("no PEM certificate block (-----BEGIN CERTIFICATE-----) was found")
    try:
        cert = x509.load_pem_x509_certificate(text.encode("utf-8", "replace"))
    except (ValueError, TypeError):
        raise BadCertificate("the PEM block is not a valid X.509 certificate") from None
    der = cert.public_bytes(serialization.Encoding.DER)
    try:
        subject = ", ".join(rdn.rfc4514_string() for rdn in cert.subject.rdns)
    except ValueError:
        subject = ""
    return ParsedCert(
        fingerprint=fingerprint_of(der),
        subject=subject,
        valid_at=int(cert.not_valid_before_utc.timestamp()),
        expires_at=int(cert.not_valid_after_utc.timestamp()),
        pem=cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
    )


def make_pem(common_name: str, not_before: int, not_after: int, *, seed: bytes) -> str:
    """A self-signed certificate; the same arguments give the same PEM."""
    key = ed25519.Ed25519PrivateKey.from_private_bytes(hashlib.sha256(seed).digest())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Acme Robotics"),
        ]
    )
    utc = dt.UTC
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(int.from_bytes(hashlib.sha256(b"serial:" + seed).digest()[:8], "big") | 1)
        .not_valid_before(dt.datetime.fromtimestamp(not_before, utc))
        .not_valid_after(dt.datetime.fromtimestamp(not_after, utc))
        .sign(key, None)
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")

#!/usr/bin/env python3
"""Independent implementation of the capture attestation (docs/reference/protocol.md section 4.1) with Python's `cryptography`.

It writes the test vector that docs/reference/protocol.md shows and that CaptureTestVectorTests checks with our C# code: the
statement bytes a capture SDK signs, built here from the document alone, must be the bytes our service rebuilds from
the request, and the vendor's signature must verify. Keys are fixed scalars and the signature is deterministic
(RFC 6979), so the output never changes.
Run: python3 tests/vectors/make_capture_vector.py > tests/NationalId.Tests/Protocol/capture-vector.json
"""
import base64, hashlib, json, struct
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def b64u(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def key(scalar_hex: str) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(int(scalar_hex, 16), ec.SECP256R1())


def point(k) -> bytes:
    return k.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)


vendor = key("5b7d9f1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d")
device = key("3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c5e")  # the presentation vectors' device
vendor_id = "nid-vector-capture"
captured_at_ms = 1_798_761_600_000  # 2027-01-01T00:00:00Z
liveness = 0.97
# Multiples of 1/1024 in [-0.125, 0.124]: exact in binary32, so every JSON parser gets the same floats.
template = [(((i * 37) % 256) - 128) / 1024 for i in range(128)]
challenge = bytes(range(0x40, 0x60))  # opaque to SDKs: any 32 bytes the service issued

template_bytes = b"".join(struct.pack(">f", v) for v in template)
template_hash = hashlib.sha256(template_bytes).digest()
statement = (b"NID-CAPTURE-v1" + bytes([len(vendor_id)]) + vendor_id.encode("ascii")
             + struct.pack(">q", captured_at_ms) + struct.pack(">d", liveness)
             + template_hash + challenge + point(device))
der = vendor.sign(statement, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
r, s = decode_dss_signature(der)
signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")

print(json.dumps({
    "vendorId": vendor_id,
    "vendorPublicKey": b64u(point(vendor)),
    "devicePublicKey": b64u(point(device)),
    "capturedAtMs": captured_at_ms,
    "liveness": liveness,
    "challenge": b64u(challenge),
    "templateHashHex": template_hash.hex(),
    "statementHex": statement.hex(),
    "signatureHex": signature.hex(),
    "face": {
        "template": template,
        "liveness": liveness,
        "capture": {"vendor": vendor_id, "capturedAtMs": captured_at_ms, "challenge": b64u(challenge), "signature": b64u(signature)},
    },
}, indent=2))

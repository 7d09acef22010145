#!/usr/bin/env python3
"""Independent implementation of the presentation format (docs/reference/protocol.md) with Python's `cryptography`.

It writes the test vectors that docs/reference/protocol.md shows and that PresentationTestVectorTests opens with our C# code:
two implementations written apart agreeing on the bytes is the check that the document is enough to build a wallet.
All keys are fixed scalars; the device signature is deterministic (RFC 6979), so the output never changes.
Run: python3 tests/vectors/make_presentation_vector.py > tests/NationalId.Tests/Protocol/presentation-vector.json
     python3 tests/vectors/make_presentation_vector.py x25519 > tests/NationalId.Tests/Protocol/presentation-vector-x25519.json
"""
import base64, json, struct, sys
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, x25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, PrivateFormat, NoEncryption


def b64u(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def key(scalar_hex: str) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(int(scalar_hex, 16), ec.SECP256R1())


def point(k) -> bytes:
    return k.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)


suite = 2 if sys.argv[1:] == ["x25519"] else 1
device = key("3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c5e")
if suite == 1:
    service = key("1f3a5c7e9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f3a")
    ephemeral = key("2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d")
else:
    service = x25519.X25519PrivateKey.from_private_bytes(bytes.fromhex("4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f"))
    ephemeral = x25519.X25519PrivateKey.from_private_bytes(bytes.fromhex("5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c5e7b"))


def public(k) -> bytes:
    if suite == 1:
        return point(k)
    return k.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


key_id = suite
credential_id = bytes(range(0x10, 0x20))
issued_at_ms = 1_798_761_600_000  # 2027-01-01T00:00:00Z
nonce = bytes(range(0xA0, 0xB0))
handle = b"c44-abcdefghijklmnopqrstuvwxyz234567"

header = bytes([0x01, suite]) + struct.pack(">I", key_id) + public(ephemeral)
unsigned = bytes([0x01]) + credential_id + struct.pack(">q", issued_at_ms) + nonce + bytes([len(handle)]) + handle
der = device.sign(b"NID-PRESENTATION-v1" + header + unsigned, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
r, s = decode_dss_signature(der)
signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
plaintext = unsigned + signature

secret = ephemeral.exchange(ec.ECDH(), service.public_key()) if suite == 1 else ephemeral.exchange(service.public_key())
okm = HKDF(algorithm=hashes.SHA256(), length=44, salt=None, info=b"NID presentation v1" + header).derive(secret)
aes_key, iv = okm[:32], okm[32:]
body = AESGCM(aes_key).encrypt(iv, plaintext, header)  # ciphertext || tag

print(json.dumps({
    "suite": suite,
    "servicePrivateKeyPkcs8": base64.b64encode(service.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())).decode(),
    "servicePrivateKeyRaw": base64.b64encode(service.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())).decode() if suite == 2 else None,
    "servicePublicKey": b64u(public(service)),
    "ephemeralPublicKey": b64u(public(ephemeral)),
    "devicePublicKey": b64u(point(device)),
    "keyId": key_id,
    "credentialId": b64u(credential_id),
    "issuedAtMs": issued_at_ms,
    "nonce": b64u(nonce),
    "citizenHandle": handle.decode(),
    "sharedSecretHex": secret.hex(),
    "aesKeyHex": aes_key.hex(),
    "ivHex": iv.hex(),
    "headerHex": header.hex(),
    "plaintextHex": plaintext.hex(),
    "signatureHex": signature.hex(),
    "presentation": "NID1." + b64u(header + body),
}, indent=2))

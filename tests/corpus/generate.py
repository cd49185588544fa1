#!/usr/bin/env python3
"""Generate a detection-quality corpus for nhiscan, with planted fake credentials.

Usage: generate.py OUTDIR [--seed N]

The corpus is a small, realistic project tree (configuration, CI files, source code in several
languages, infrastructure code, documentation) with random fake credentials planted in it. A tree
under OUTDIR/lookalike/ holds files that look like secrets to a naive scanner but contain none.
OUTDIR/expected.json lists every planted credential by path, line, column, provider and kind,
never by value, so the test can compute recall from the scanner's JSON report alone.

Every credential is built at run time from a random generator seeded with --seed, following the
format that its provider documents: prefix, length, alphabet, and the CRC32 base62 checksum that
GitHub (ghp_, gho_, ghu_, ghs_, ghr_) and npm (npm_) tokens carry. No value in this file is a
real or a complete token, so a scan of the repository stays clean.

Templates mark a value with $[spec] or $[spec:label]. The spec names a generator in SPECS, and
the label tells apart several values of one spec in one file (the same spec and label in one
file yield the same value). A multi-line value, such as a PEM block, takes the indentation of the
line that holds the marker, so keys can sit inside YAML block scalars.
"""

import argparse
import base64
import dataclasses
import json
import os
import random
import re
import string
import struct
import sys
import zlib

BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
ALNUM = string.ascii_letters + string.digits
BASE64 = ALNUM + "+/"
BASE64URL = ALNUM + "-_"
HEX = "0123456789abcdef"
UPPER_ALNUM = string.ascii_uppercase + string.digits
AWS_KEY_ALPHABET = string.ascii_uppercase + "234567"
# Symbols that survive unquoted in .env, INI, YAML and properties files and inside the quotes of
# every language used here: no quote, backslash, '#', '$', '%', ':' or '&'.
PASSWORD_SYMBOLS = "!*+-_.@^~"

# Substrings that a scanner may rightly treat as a placeholder or a test value. A random value
# that happens to contain one is drawn again, so that no planted credential is dropped by a
# placeholder filter by chance.
PLACEHOLDER_HINTS = (
    "xxxx", "****", "example", "sample", "dummy", "fake", "test", "placeholder", "changeme",
    "your", "redacted", "0000", "1234", "abcd", "todo",
)

# The key pair that AWS uses in its documentation, assembled here so that the repository itself
# never contains the literal strings.
AWS_DOC_KEY_ID = "".join(["AKIA", "IOSFODNN7", "EXAMPLE"])
AWS_DOC_SECRET = "".join(["wJalrXUtnFEMI", "/K7MDENG/", "bPxRfiCY", "EXAMPLEKEY"])


@dataclasses.dataclass
class Value:
    """A generated value and, for multi-line values, where a finding may point.

    `text` may span several lines. `line_offsets` lists the lines, counted from the marker's
    line, at which a finding counts as a detection. The first one is the primary line, reported
    in expected.json as `line`. `probe` is a substring of the primary line that locates the
    column and lets the generator check its own output.
    """

    text: str
    line_offsets: tuple = (0,)
    probe: str = ""


@dataclasses.dataclass
class Spec:
    """A kind of generated value: a planted credential when `provider` is set."""

    make: object
    provider: str = ""
    kind: str = ""


class Tokens:
    """Random fake credentials, one method per format."""

    def __init__(self, rng):
        self.rng = rng

    def chars(self, alphabet, length):
        return "".join(self.rng.choice(alphabet) for _ in range(length))

    def clean(self, build):
        """Call build() until its value contains no placeholder hint."""
        for _ in range(1000):
            value = build()
            text = value.text if isinstance(value, Value) else value
            lowered = text.lower()
            if not any(hint in lowered for hint in PLACEHOLDER_HINTS):
                return value
        raise RuntimeError("could not draw a value free of placeholder hints")

    def digits(self, length):
        return self.rng.choice("123456789") + self.chars(string.digits, length - 1)

    def uuid4(self):
        raw = bytearray(self.rng.getrandbits(8) for _ in range(16))
        raw[6] = (raw[6] & 0x0F) | 0x40
        raw[8] = (raw[8] & 0x3F) | 0x80
        h = raw.hex()
        return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"

    def random_bytes(self, length):
        return bytes(self.rng.getrandbits(8) for _ in range(length))

    def password(self):
        """Return a 16 to 24 character password with letters, digits and symbols."""
        length = self.rng.randint(16, 24)
        while True:
            body = self.chars(ALNUM + PASSWORD_SYMBOLS, length - 1)
            value = self.rng.choice(ALNUM) + body
            if (any(c.isdigit() for c in value) and any(c.isupper() for c in value)
                    and any(c in PASSWORD_SYMBOLS for c in value)):
                return value

    def url_password(self):
        """Return a password that needs no percent-encoding inside a URL."""
        return self.chars(ALNUM, self.rng.randint(18, 28))

    # GitHub and npm: 30 random base62 characters and a 6-character base62 CRC32 of them.

    def crc32_base62(self, prefix):
        random_part = self.chars(BASE62, 30)
        return prefix + random_part + encode_base62(zlib.crc32(random_part.encode()), 6)

    def github_fine_grained(self):
        return "github_pat_11" + self.chars(UPPER_ALNUM, 20) + "_" + self.chars(BASE62, 59)

    def slack_bot(self):
        return "xoxb-{}-{}-{}".format(self.digits(12), self.digits(13), self.chars(ALNUM, 24))

    def slack_webhook(self):
        return "https://hooks.slack.com/services/T{}/B{}/{}".format(
            self.chars(UPPER_ALNUM, 8), self.chars(UPPER_ALNUM, 10), self.chars(ALNUM, 24))

    def telegram(self):
        return self.digits(10) + ":AA" + self.chars(BASE64URL, 33)

    def discord(self):
        # Discord user ids are snowflakes of 18 or 19 digits.
        user_id = str(self.rng.randint(2 * 10**17, 13 * 10**17))
        encoded = base64.b64encode(user_id.encode()).decode().rstrip("=")
        return "{}.{}.{}".format(encoded, self.chars(BASE64URL, 6), self.chars(BASE64URL, 38))

    def openai_project(self):
        return "sk-proj-" + self.chars(BASE64URL, 74) + "T3BlbkFJ" + self.chars(BASE64URL, 74)

    def pypi(self):
        # A macaroon serialized the way PyPI does it: the location "pypi.org", an identifier,
        # then caveats and a signature, all base64url without padding.
        macaroon = (b"\x02\x01\x08pypi.org\x02\x24" + self.uuid4().encode()
                + b"\x00\x02\x2a" + self.random_bytes(42) + b"\x00\x00\x06\x20"
                + self.random_bytes(32))
        return "pypi-" + base64.urlsafe_b64encode(macaroon).decode().rstrip("=")

    def sentry_org(self):
        claims = {
            "iat": round(self.rng.uniform(1.70e9, 1.73e9), 6),
            "url": "https://sentry.io",
            "region_url": "https://us.sentry.io",
            "org": "acme-corp",
        }
        payload = base64.b64encode(json.dumps(claims, separators=(",", ":")).encode()).decode()
        return "sntrys_" + payload + "_" + self.chars(BASE64, 43)

    def atlassian(self):
        return ("ATATT3xFfGF0" + self.chars(BASE64URL, 170) + "="
                + self.chars("0123456789ABCDEF", 8))

    def notion(self):
        return "ntn_" + self.digits(11) + self.chars(ALNUM, 35)

    def azure_storage(self):
        account = "acme" + self.chars(string.ascii_lowercase + string.digits, 8)
        key = base64.b64encode(self.random_bytes(64)).decode()
        return ("DefaultEndpointsProtocol=https;AccountName={};AccountKey={};"
                "EndpointSuffix=core.windows.net").format(account, key)

    def postgres_url(self):
        host = "orders-db.cluster-{}.eu-west-1.rds.amazonaws.com".format(
            self.chars(string.ascii_lowercase + string.digits, 12))
        return "postgresql://orders_app:{}@{}:5432/orders".format(self.url_password(), host)

    def npgsql(self):
        return ("Host=ledger-db.internal;Port=5432;Database=ledger;Username=ledger_svc;"
                "Password={};SSL Mode=Require").format(self.url_password())

    def mongodb_url(self):
        return "mongodb+srv://catalog:{}@cluster0.{}.mongodb.net/catalog?retryWrites=true&w=majority".format(
            self.url_password(), self.chars(string.ascii_lowercase + string.digits, 5))

    def jwt(self):
        header = {"alg": "HS256", "typ": "JWT"}
        claims = {
            "sub": "svc-" + self.chars(string.ascii_lowercase, 8),
            "iss": "https://auth.acme-corp.io",
            "aud": "billing-api",
            "iat": self.rng.randint(1_700_000_000, 1_730_000_000),
            "scope": "invoices:read invoices:write",
        }
        claims["exp"] = claims["iat"] + 31_536_000
        parts = [b64url_json(header), b64url_json(claims), b64url(self.random_bytes(32))]
        return ".".join(parts)

    def pem(self, label, der, width=64):
        body = base64.b64encode(der).decode()
        lines = [body[i:i + width] for i in range(0, len(body), width)]
        return "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"])

    def pem_value(self, label, der, width=64):
        # The probe is built from the label so that this file never contains a whole PEM
        # header of a private key, which a scanner of the repository could flag.
        return Value(self.pem(label, der, width), probe=f"-----BEGIN {label}-----")

    def rsa_private_key(self):
        # PKCS#1 RSAPrivateKey of a 2048-bit key: SEQUENCE, version 0, a 257-byte modulus,
        # then random bytes standing in for the other integers.
        der = bytes.fromhex("308204a40201000282010100") + self.random_bytes(1192 - 12)
        return self.pem_value("RSA PRIVATE KEY", der)

    def ec_private_key(self):
        # SEC 1 ECPrivateKey on prime256v1: version 1, a 32-byte private key, the curve OID
        # and the 65-byte uncompressed public point.
        der = (bytes.fromhex("307702010104 20".replace(" ", "")) + self.random_bytes(32)
                + bytes.fromhex("a00a06082a8648ce3d030107a144034200 04".replace(" ", ""))
                + self.random_bytes(64))
        return self.pem_value("EC PRIVATE KEY", der)

    def minified_code(self, length):
        """Return webpack-style minified JavaScript of about `length` characters."""
        names = string.ascii_letters
        parts = []
        size = 0
        while size < length:
            module_id = self.rng.randint(100, 9999)
            a, b, c = self.rng.sample(names, 3)
            part = self.rng.choice((
                f'{module_id}:function({a},{b},{c}){{"use strict";{c}.d({b},{{Z:function(){{return {a}}}}});'
                f'var {a}=function({a}){{return{{type:"{self.chars(string.ascii_lowercase, 6)}",payload:{a}}}}}}}',
                f'{module_id}:function({a},{b}){{{b}.exports=function({a},{b}){{return {a}.length>{b}?'
                f'{a}.slice(0,{b})+"\\u2026":{a}}}}}',
                f'{module_id}:function({a},{b},{c}){{var {a}={c}({self.rng.randint(100, 9999)});'
                f'{b}.Z={{root:"_{self.chars(ALNUM, 5)}",active:"_{self.chars(ALNUM, 5)}"}}}}',
            ))
            parts.append(part)
            size += len(part) + 1
        return ",".join(parts)

    def pkcs8_private_key_der(self):
        prefix = bytes.fromhex("308204bd020100300d06092a864886f70d0101010500048204a7308204a30201000282010100")
        return prefix + self.random_bytes(1217 - len(prefix))

    def openssh_private_key(self):
        """Return an unencrypted OpenSSH ed25519 key in the openssh-key-v1 layout."""
        seed = self.random_bytes(32)
        public = self.random_bytes(32)
        public_blob = ssh_string(b"ssh-ed25519") + ssh_string(public)
        check = self.random_bytes(4)
        private = (check + check + ssh_string(b"ssh-ed25519") + ssh_string(public)
                + ssh_string(seed + public) + ssh_string(b"deploy@ci-runner-03"))
        private += bytes(range(1, 1 + (-len(private)) % 8))
        blob = (b"openssh-key-v1\x00" + ssh_string(b"none") + ssh_string(b"none")
                + ssh_string(b"") + struct.pack(">I", 1) + ssh_string(public_blob)
                + ssh_string(private))
        return self.pem_value("OPENSSH PRIVATE KEY", blob, width=70)

    def gcp_service_account(self):
        project = "acme-billing-" + self.chars(string.digits, 6)
        account = f"invoice-exporter@{project}.iam.gserviceaccount.com"
        key = self.pem("PRIVATE KEY", self.pkcs8_private_key_der()).replace("\n", "\\n") + "\\n"
        lines = [
            "{",
            '  "type": "service_account",',
            f'  "project_id": "{project}",',
            f'  "private_key_id": "{self.chars(HEX, 40)}",',
            f'  "private_key": "{key}",',
            f'  "client_email": "{account}",',
            f'  "client_id": "{self.digits(21)}",',
            '  "auth_uri": "https://accounts.google.com/o/oauth2/auth",',
            '  "token_uri": "https://oauth2.googleapis.com/token",',
            '  "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",',
            '  "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/'
            + account.replace("@", "%40") + '",',
            '  "universe_domain": "googleapis.com"',
            "}",
        ]
        # A scanner may report the "private_key" line, the "private_key_id" line or the
        # "type" line, so all three count.
        return Value("\n".join(lines), line_offsets=(4, 3, 1), probe='"private_key": "')

    # Values that are not credentials, for the look-alike files.

    def png_base64(self, size=20):
        """Return a real PNG of random pixels, base64-encoded: dense, high-entropy base64."""
        rows = b"".join(b"\x00" + self.random_bytes(size * 4) for _ in range(size))
        header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
        png = (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header)
                + png_chunk(b"IDAT", zlib.compress(rows, 9)) + png_chunk(b"IEND", b""))
        return base64.b64encode(png).decode()

    def ssh_rsa_public(self):
        blob = (ssh_string(b"ssh-rsa") + ssh_string(b"\x01\x00\x01")
                + ssh_string(b"\x00" + self.random_bytes(256)))
        return "ssh-rsa " + base64.b64encode(blob).decode()

    def ssh_ed25519_public(self):
        blob = ssh_string(b"ssh-ed25519") + ssh_string(self.random_bytes(32))
        return "ssh-ed25519 " + base64.b64encode(blob).decode()

    def public_key_pem(self):
        der = bytes.fromhex("30820122300d06092a864886f70d01010105000382010f003082010a0282010100")
        return self.pem("PUBLIC KEY", der + self.random_bytes(294 - len(der)))

    def certificate_pem(self):
        der = bytes.fromhex("3082037730820260a003020102021400") + self.random_bytes(875)
        return self.pem("CERTIFICATE", der)

    def vlq_mappings(self, segments):
        alphabet = BASE64
        groups = []
        for _ in range(segments):
            line = ",".join(self.chars(alphabet, self.rng.choice((4, 4, 4, 5, 6, 7)))
                        for _ in range(self.rng.randint(3, 9)))
            groups.append(line)
        return ";".join(groups)


def encode_base62(number, width):
    digits = []
    while number:
        number, remainder = divmod(number, 62)
        digits.append(BASE62[remainder])
    return "".join(reversed(digits)).rjust(width, "0")


def b64url(raw):
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def b64url_json(obj):
    return b64url(json.dumps(obj, separators=(",", ":")).encode())


def ssh_string(raw):
    return struct.pack(">I", len(raw)) + raw


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def build_specs(tokens):
    """Map each spec name to its generator, and to its provider and kind when it is planted."""
    t = tokens
    c = t.chars

    def planted(provider, kind, make):
        return Spec(lambda: t.clean(make), provider, kind)

    def plain(make):
        return Spec(make)

    return {
        # Cloud providers.
        "aws_key_id": planted("AWS", "api-key", lambda: "AKIA" + c(AWS_KEY_ALPHABET, 16)),
        "aws_secret": planted("AWS", "api-key", lambda: c(BASE64, 40)),
        "gcp_api_key": planted("Google Cloud", "api-key", lambda: "AIza" + c(BASE64URL, 35)),
        "gcp_service_account": planted("Google Cloud", "service-account-key", t.gcp_service_account),
        "azure_storage": planted("Azure", "connection-string", t.azure_storage),
        "digitalocean": planted("DigitalOcean", "access-token", lambda: "dop_v1_" + c(HEX, 64)),
        "heroku_v2": planted("Heroku", "api-key", lambda: "HRKU-AA" + c(BASE64URL, 58)),
        "heroku_uuid": planted("Heroku", "api-key", t.uuid4),
        # Source hosting and package registries.
        "github_classic": planted("GitHub", "access-token", lambda: t.crc32_base62("ghp_")),
        "github_oauth": planted("GitHub", "oauth-token", lambda: t.crc32_base62("gho_")),
        "github_user_to_server": planted("GitHub", "access-token", lambda: t.crc32_base62("ghu_")),
        "github_installation": planted("GitHub", "access-token", lambda: t.crc32_base62("ghs_")),
        "github_refresh": planted("GitHub", "refresh-token", lambda: t.crc32_base62("ghr_")),
        "github_fine_grained": planted("GitHub", "access-token", t.github_fine_grained),
        "gitlab_pat": planted("GitLab", "access-token", lambda: "glpat-" + c(BASE64URL, 20)),
        "npm": planted("npm", "access-token", lambda: t.crc32_base62("npm_")),
        "pypi": planted("PyPI", "api-key", t.pypi),
        "dockerhub_pat": planted("Docker Hub", "access-token", lambda: "dckr_pat_" + c(BASE64URL, 27)),
        # Messaging and e-mail.
        "slack_bot": planted("Slack", "access-token", t.slack_bot),
        "slack_webhook": planted("Slack", "webhook-url", t.slack_webhook),
        "twilio_api_key": planted("Twilio", "api-key", lambda: "SK" + c(HEX, 32)),
        "twilio_api_secret": planted("Twilio", "api-key", lambda: c(ALNUM, 32)),
        "sendgrid": planted("SendGrid", "api-key",
                lambda: "SG." + c(BASE64URL, 22) + "." + c(BASE64URL, 43)),
        "mailgun": planted("Mailgun", "api-key", lambda: "key-" + c(HEX, 32)),
        "telegram": planted("Telegram", "access-token", t.telegram),
        "discord": planted("Discord", "access-token", t.discord),
        # Payments and commerce.
        "stripe_secret": planted("Stripe", "api-key", lambda: "sk_live_51" + c(ALNUM, 97)),
        "stripe_secret_short": planted("Stripe", "api-key", lambda: "sk_live_" + c(ALNUM, 24)),
        "stripe_restricted": planted("Stripe", "api-key", lambda: "rk_live_" + c(ALNUM, 24)),
        "square_access": planted("Square", "access-token", lambda: "EAAA" + c(BASE64URL, 60)),
        "square_secret": planted("Square", "oauth-client-secret", lambda: "sq0csp-" + c(BASE64URL, 43)),
        "shopify_access": planted("Shopify", "access-token", lambda: "shpat_" + c(HEX, 32)),
        "shopify_secret": planted("Shopify", "signing-secret", lambda: "shpss_" + c(HEX, 32)),
        # AI providers.
        "openai_project": planted("OpenAI", "api-key", t.openai_project),
        "anthropic": planted("Anthropic", "api-key",
                lambda: "sk-ant-api03-" + c(BASE64URL, 93) + "AA"),
        "huggingface": planted("Hugging Face", "access-token", lambda: "hf_" + c(string.ascii_letters, 34)),
        "groq": planted("Groq", "api-key", lambda: "gsk_" + c(ALNUM, 52)),
        "replicate": planted("Replicate", "api-key", lambda: "r8_" + c(ALNUM, 37)),
        "perplexity": planted("Perplexity", "api-key", lambda: "pplx-" + c(ALNUM, 48)),
        "xai": planted("xAI", "api-key", lambda: "xai-" + c(ALNUM, 80)),
        # Monitoring and work tracking.
        "datadog_api": planted("Datadog", "api-key", lambda: c(HEX, 32)),
        "datadog_app": planted("Datadog", "api-key", lambda: c(HEX, 40)),
        "newrelic": planted("New Relic", "api-key", lambda: "NRAK-" + c(UPPER_ALNUM, 27)),
        "sentry_user": planted("Sentry", "access-token", lambda: "sntryu_" + c(HEX, 64)),
        "sentry_org": planted("Sentry", "access-token", t.sentry_org),
        "atlassian": planted("Atlassian", "api-key", t.atlassian),
        "notion": planted("Notion", "api-key", t.notion),
        "linear": planted("Linear", "api-key", lambda: "lin_api_" + c(ALNUM, 40)),
        # Databases.
        "postgres_url": planted("PostgreSQL", "connection-string", t.postgres_url),
        "postgres_npgsql": planted("PostgreSQL", "connection-string", t.npgsql),
        "mongodb_url": planted("MongoDB", "connection-string", t.mongodb_url),
        # Keys and tokens without a provider.
        "rsa_private_key": planted("RSA", "private-key", t.rsa_private_key),
        "openssh_private_key": planted("OpenSSH", "private-key", t.openssh_private_key),
        "ec_private_key": planted("EC", "private-key", t.ec_private_key),
        "jwt": planted("JWT", "jwt", t.jwt),
        "password": planted("generic", "password", t.password),
        "generic_api_key": planted("generic", "api-key", lambda: c(ALNUM, 40)),
        "generic_hex_secret": planted("generic", "signing-secret", lambda: c(HEX, 64)),
        "django_secret": planted("generic", "signing-secret",
                lambda: c(string.ascii_lowercase + string.digits + "!@^*(-_=+)", 50)),
        # Values that are not credentials.
        "uuid": plain(t.uuid4),
        "hex32": plain(lambda: c(HEX, 32)),
        "git_sha": plain(lambda: c(HEX, 40)),
        "short_sha": plain(lambda: c(HEX, 8)),
        "sha256_hex": plain(lambda: c(HEX, 64)),
        "sha512_integrity": plain(lambda: "sha512-" + base64.b64encode(t.random_bytes(64)).decode()),
        "sha1_integrity": plain(lambda: "sha1-" + base64.b64encode(t.random_bytes(20)).decode()),
        "gosum_hash": plain(lambda: "h1:" + base64.b64encode(t.random_bytes(32)).decode()),
        "twilio_account_sid": plain(lambda: "AC" + c(HEX, 32)),
        "stripe_publishable": plain(lambda: "pk_live_51" + c(ALNUM, 97)),
        "png_base64": plain(t.png_base64),
        "ssh_rsa_public": plain(t.ssh_rsa_public),
        "ssh_ed25519_public": plain(t.ssh_ed25519_public),
        "public_key_pem": plain(t.public_key_pem),
        "certificate_pem": plain(t.certificate_pem),
        "css_hash": plain(lambda: c(string.ascii_letters + string.digits + "_-", 5)),
        "chunk_hash": plain(lambda: c(HEX, 20)),
        "vlq_mappings": plain(lambda: t.vlq_mappings(60)),
        "square_app_id": plain(lambda: "sq0idp-" + c(BASE64URL, 22)),
        "minified_code": plain(lambda: t.minified_code(2500)),
        "digits6": plain(lambda: t.digits(6)),
        "digits12": plain(lambda: t.digits(12)),
    }


MARKER = re.compile(r"\$\[([a-z0-9_]+)(?::([a-z0-9_]+))?\]")


class Corpus:
    """Render templates into files under one output folder and record the planted values."""

    def __init__(self, outdir, specs):
        self.outdir = outdir
        self.specs = specs
        self.planted = []
        self.files = []

    def write(self, path, template):
        text, plants = self.render(template)
        full = os.path.join(self.outdir, path)
        os.makedirs(os.path.dirname(full) or ".", exist_ok=True)
        newline = "\r\n" if path in CRLF_FILES else "\n"
        with open(full, "w", encoding="utf-8", newline=newline) as f:
            f.write(text)
        self.check(path, text, plants)
        for plant in plants:
            plant["path"] = path
        self.planted.extend(plants)
        self.files.append(path)

    def render(self, template):
        values = {}
        plants = []
        out = []
        pos = 0
        for match in MARKER.finditer(template):
            out.append(template[pos:match.start()])
            pos = match.end()
            spec_name, label = match.group(1), match.group(2) or ""
            if spec_name not in self.specs:
                raise KeyError(f"unknown spec {spec_name!r} in template")
            spec = self.specs[spec_name]
            key = (spec_name, label)
            if key not in values:
                generated = spec.make()
                if not isinstance(generated, Value):
                    generated = Value(generated, probe=generated)
                values[key] = generated
            value = values[key]

            rendered = "".join(out)
            line = rendered.count("\n") + 1
            current_line = rendered[rendered.rfind("\n") + 1:]
            indent = current_line[:len(current_line) - len(current_line.lstrip())]
            out.append(value.text.replace("\n", "\n" + indent))
            if spec.provider:
                lines = [line + offset for offset in value.line_offsets]
                plants.append({
                    "line": lines[0],
                    "lines": lines,
                    "provider": spec.provider,
                    "kind": spec.kind,
                    "spec": spec_name,
                    "probe": value.probe,
                })
        out.append(template[pos:])
        return "".join(out), plants

    def check(self, path, text, plants):
        """Fill in each plant's column, failing if its probe is not on its primary line."""
        lines = text.split("\n")
        seen = set()
        for plant in plants:
            source_line = lines[plant["line"] - 1]
            index = source_line.find(plant["probe"])
            if index < 0:
                raise AssertionError(f"{path}:{plant['line']}: planted {plant['spec']} not found")
            if plant["line"] in seen:
                raise AssertionError(f"{path}:{plant['line']}: two planted values on one line")
            seen.add(plant["line"])
            plant["column"] = len(source_line[:index].encode("utf-8")) + 1
            del plant["probe"]

    def write_expected(self, seed):
        credentials = sorted(self.planted, key=lambda p: (p["path"], p["line"]))
        document = {
            "seed": seed,
            "lookalike_dir": "lookalike",
            "files": sum(1 for path in self.files if not path.startswith("lookalike/")),
            "lookalike_files": sum(1 for path in self.files if path.startswith("lookalike/")),
            "credentials": [
                {key: p[key] for key in ("path", "line", "lines", "column", "provider", "kind", "spec")}
                for p in credentials
            ],
        }
        with open(os.path.join(self.outdir, "expected.json"), "w", encoding="utf-8") as f:
            json.dump(document, f, indent=2)
            f.write("\n")


# Files written with Windows line endings, to check that line numbers survive CRLF.
CRLF_FILES = {"windows/deploy.ps1"}

# Files with planted credentials. Each entry is (path, template).
POSITIVE_FILES = [
    (".env", """\
# Billing service settings for the staging stack, loaded by python-dotenv at start-up.
# Per-developer overrides go in .env.local, which git ignores.
APP_ENV=staging
APP_PORT=8080
LOG_LEVEL=info
LOG_FORMAT=json

DATABASE_URL=$[postgres_url]
DATABASE_POOL_SIZE=10
REDIS_URL=redis://cache.staging.internal:6379/2

STRIPE_SECRET_KEY=$[stripe_secret]
STRIPE_WEBHOOK_TOLERANCE_SECONDS=300

OPENAI_API_KEY="$[openai_project]"
OPENAI_MODEL=gpt-4o-mini
SENDGRID_API_KEY='$[sendgrid]'
SENDGRID_FROM=billing@acme-corp.io

FEATURE_INVOICE_PDF=true
FEATURE_DUNNING_EMAILS=false
"""),
    ("config/settings.py", '''\
"""Django settings for the billing project.

Generated by 'django-admin startproject' using Django 5.0 and edited since.
"""
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "$[django_secret]"

DEBUG = False
ALLOWED_HOSTS = ["billing.acme-corp.io", "billing.internal"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "storages",
    "billing.invoices",
    "billing.customers",
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "billing",
        "USER": "billing_app",
        "PASSWORD": "$[password:db]",
        "HOST": "billing-db.internal",
        "PORT": "5432",
        "CONN_MAX_AGE": 60,
    }
}

# Invoice PDFs are stored in S3 through django-storages.
STORAGES = {
    "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AWS_ACCESS_KEY_ID = "$[aws_key_id]"
AWS_SECRET_ACCESS_KEY = "$[aws_secret]"
AWS_STORAGE_BUCKET_NAME = "acme-billing-invoices"
AWS_S3_REGION_NAME = "eu-west-1"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_TZ = True
STATIC_URL = "static/"
'''),
    (".github/workflows/deploy.yml", """\
name: deploy

on:
  push:
    branches: [main]
  workflow_dispatch:

env:
  IMAGE_NAME: acme/billing

jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4

      - name: Log in to Docker Hub
        uses: docker/login-action@v3
        with:
          username: acmebuildbot
          password: $[dockerhub_pat]

      - name: Build and push
        uses: docker/build-push-action@v5
        with:
          push: true
          tags: ${{ env.IMAGE_NAME }}:${{ github.sha }}

      - name: Notify Slack
        if: always()
        run: |
          curl -sS -X POST -H 'Content-type: application/json' \\
            --data "{\\"text\\":\\"billing deploy ${{ job.status }} (${{ github.sha }})\\"}" \\
            $[slack_webhook]
"""),
    (".gitlab-ci.yml", """\
stages:
  - test
  - release

variables:
  PIP_CACHE_DIR: "$CI_PROJECT_DIR/.cache/pip"
  GITLAB_API_TOKEN: $[gitlab_pat]

cache:
  paths:
    - .cache/pip

test:
  stage: test
  image: python:3.12-slim
  script:
    - pip install -r requirements-dev.txt
    - pytest -q --junitxml=report.xml
  artifacts:
    reports:
      junit: report.xml

release:
  stage: release
  image: python:3.12-slim
  rules:
    - if: $CI_COMMIT_TAG
  script:
    - python -m build
    - twine upload --non-interactive -u __token__ -p $[pypi] dist/*
    - 'curl --fail --header "PRIVATE-TOKEN: $[gitlab_pat:release]" --data "tag_name=$CI_COMMIT_TAG" "https://gitlab.com/api/v4/projects/$CI_PROJECT_ID/releases"'
"""),
    ("deploy/k8s/datadog-agent.yaml", """\
apiVersion: v1
kind: Secret
metadata:
  name: datadog-agent
  namespace: monitoring
  labels:
    app.kubernetes.io/name: datadog-agent
type: Opaque
stringData:
  api-key: $[datadog_api]
  app-key: "$[datadog_app]"
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: datadog-agent
  namespace: monitoring
spec:
  selector:
    matchLabels:
      app: datadog-agent
  template:
    metadata:
      labels:
        app: datadog-agent
    spec:
      containers:
        - name: agent
          image: gcr.io/datadoghq/agent:7
          env:
            - name: DD_API_KEY
              valueFrom:
                secretKeyRef:
                  name: datadog-agent
                  key: api-key
            - name: DD_SITE
              value: datadoghq.eu
          resources:
            limits:
              memory: 512Mi
"""),
    ("docker-compose.yml", """\
services:
  db:
    image: postgres:16
    restart: unless-stopped
    environment:
      POSTGRES_USER: orders
      POSTGRES_DB: orders
      POSTGRES_PASSWORD: $[password:compose]
    volumes:
      - pgdata:/var/lib/postgresql/data

  api:
    build: .
    depends_on: [db]
    ports:
      - "8080:8080"
    environment:
      - DATABASE_URL=$[postgres_url:compose]
      - CATALOG_MONGO_URL=$[mongodb_url]
      - HF_TOKEN=$[huggingface]
      - LOG_LEVEL=debug

volumes:
  pgdata: {}
"""),
    ("web/src/server/payments.ts", """\
import Stripe from "stripe";
import { Client, Environment } from "square";

import { logger } from "../logger";

// TODO(billing): read these from the secrets manager before the public launch.
const STRIPE_RESTRICTED_KEY = "$[stripe_restricted]";

export const stripe = new Stripe(STRIPE_RESTRICTED_KEY, {
  apiVersion: "2024-06-20",
  maxNetworkRetries: 2,
});

export const square = new Client({
  accessToken: "$[square_access]",
  environment: Environment.Production,
});

export async function refund(chargeId: string, amountCents: number): Promise<void> {
  const refund = await stripe.refunds.create({ charge: chargeId, amount: amountCents });
  logger.info({ refundId: refund.id, chargeId }, "refund created");
}
"""),
    ("web/src/lib/llm.js", """\
"use strict";

const OpenAI = require("openai");
const Groq = require("groq-sdk");
const Anthropic = require("@anthropic-ai/sdk");

const openai = new OpenAI({ apiKey: "$[openai_project:llm]" });
const groq = new Groq({ apiKey: '$[groq]' });
const anthropic = new Anthropic({
  apiKey: `$[anthropic]`,
});

async function summarize(text) {
  const res = await anthropic.messages.create({
    model: "claude-3-5-sonnet-latest",
    max_tokens: 512,
    messages: [{ role: "user", content: `Summarize:\\n${text}` }],
  });
  return res.content[0].text;
}

async function grokComplete(prompt) {
  const res = await fetch("https://api.x.ai/v1/chat/completions", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: "Bearer $[xai]",
    },
    body: JSON.stringify({ model: "grok-2-latest", messages: [{ role: "user", content: prompt }] }),
  });
  if (!res.ok) throw new Error(`xAI request failed: ${res.status}`);
  return (await res.json()).choices[0].message.content;
}

module.exports = { openai, groq, summarize, grokComplete };
"""),
    ("cmd/worker/main.go", """\
package main

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/digitalocean/godo"
)

const doToken = "$[digitalocean]"

var linearKey = "$[linear:go]"

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	client := godo.NewFromToken(doToken)
	droplets, _, err := client.Droplets.List(ctx, &godo.ListOptions{PerPage: 50})
	if err != nil {
		log.Fatalf("list droplets: %v", err)
	}
	fmt.Printf("%d droplets\\n", len(droplets))

	ghToken := "$[github_fine_grained]"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://api.github.com/user/repos", nil)
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+ghToken)
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")

	legacy, _ := http.NewRequest(http.MethodGet, "https://api.github.com/orgs/acme/members", nil)
	legacy.Header.Set("Authorization", "token $[github_classic]")

	apiKey := "$[generic_api_key:go]"
	os.Setenv("ACME_INTERNAL_API_KEY", apiKey)
	_ = linearKey
}
"""),
    ("notify/src/main/java/com/acme/notify/SmsNotifier.java", """\
package com.acme.notify;

import com.twilio.Twilio;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;

/** Sends order status text messages through Twilio. */
public final class SmsNotifier {
    private static final String ACCOUNT_SID = "$[twilio_account_sid]";
    private static final String API_KEY_SID = "$[twilio_api_key]";
    private static final String API_KEY_SECRET = "$[twilio_api_secret]";
    private static final PhoneNumber FROM = new PhoneNumber("+15005550006");

    public SmsNotifier() {
        Twilio.init(API_KEY_SID, API_KEY_SECRET, ACCOUNT_SID);
    }

    public String send(String to, String body) {
        Message message = Message.creator(new PhoneNumber(to), FROM, body).create();
        return message.getSid();
    }
}
"""),
    ("notify/src/main/resources/application.properties", """\
spring.application.name=notify
server.port=8081

spring.datasource.url=jdbc:postgresql://notify-db.internal:5432/notify
spring.datasource.username=notify
spring.datasource.password=$[password:spring]
spring.jpa.hibernate.ddl-auto=validate

mailgun.domain=mg.acme-corp.io
mailgun.api-key=$[mailgun]
mailgun.from=orders@mg.acme-corp.io

management.endpoints.web.exposure.include=health,info,prometheus
"""),
    ("lib/tasks/deploy.rake", """\
require "json"
require "net/http"

namespace :deploy do
  HEROKU_API_KEY = "$[heroku_uuid]"

  desc "Create a Heroku release for the current build"
  task release: :environment do
    uri = URI("https://api.heroku.com/apps/acme-storefront/releases")
    request = Net::HTTP::Post.new(uri, {
      "Accept" => "application/vnd.heroku+json; version=3",
      "Authorization" => "Bearer $[heroku_v2]",
      "Content-Type" => "application/json",
    })
    request.body = { slug: ENV.fetch("SLUG_ID"), description: "deploy #{Time.now.utc}" }.to_json
    response = Net::HTTP.start(uri.host, uri.port, use_ssl: true) { |http| http.request(request) }
    abort "release failed: #{response.code}" unless response.is_a?(Net::HTTPSuccess)
  end

  desc "Warm the product search cache"
  task warm_cache: :environment do
    client = Search::Client.new(api_url: "https://search.internal", credentials: {
      :username => "storefront",
      :password => "$[password:ruby]",
    })
    Product.find_each { |product| client.index(product) }
  end
end
"""),
    ("scripts/publish.sh", """\
#!/usr/bin/env bash
# Publish the SDK to npm and attach the tarball to the GitHub release.
set -euo pipefail

cd "$(dirname "$0")/.."

export NPM_TOKEN=$[npm]
echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc

version="$(node -p 'require("./package.json").version')"
npm ci
npm run build
npm publish --access public

GITHUB_TOKEN="$[github_oauth]"
upload_url="$(curl -fsSL -H "Authorization: token ${GITHUB_TOKEN}" \\
  "https://api.github.com/repos/acme/sdk-js/releases/tags/v${version}" | jq -r .upload_url)"
curl -fsSL -X POST \\
  -H "Authorization: token ${GITHUB_TOKEN}" \\
  -H "Content-Type: application/gzip" \\
  --data-binary @"acme-sdk-${version}.tgz" \\
  "${upload_url%\\{*}?name=acme-sdk-${version}.tgz"
rm -f .npmrc
"""),
    ("Dockerfile", """\
FROM node:20-alpine AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
ENV SENTRY_AUTH_TOKEN=$[sentry_org]
RUN npm run build && npx @sentry/cli sourcemaps upload --org acme-corp --project web dist

FROM node:20-alpine
WORKDIR /app
ENV NODE_ENV=production
ENV NEW_RELIC_API_KEY $[newrelic]
ENV NEW_RELIC_APP_NAME=storefront
COPY --from=build /app/dist ./dist
COPY --from=build /app/node_modules ./node_modules
EXPOSE 3000
USER node
CMD ["node", "dist/server.js"]
"""),
    ("infra/main.tf", """\
terraform {
  required_version = ">= 1.6"
  required_providers {
    digitalocean = {
      source  = "digitalocean/digitalocean"
      version = "~> 2.34"
    }
    datadog = {
      source  = "DataDog/datadog"
      version = "~> 3.38"
    }
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "digitalocean" {
  token = "$[digitalocean:tf]"
}

provider "datadog" {
  api_key = "$[datadog_api:tf]"
  app_key = "$[datadog_app:tf]"
  api_url = "https://api.datadoghq.eu/"
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_db_instance" "orders" {
  identifier           = "orders-prod"
  engine               = "postgres"
  engine_version       = "16.3"
  instance_class       = "db.t4g.medium"
  allocated_storage    = 100
  username             = "orders"
  password             = "$[password:rds]"
  skip_final_snapshot  = false
  deletion_protection  = true
}

resource "digitalocean_droplet" "bastion" {
  name   = "bastion-ams3"
  region = "ams3"
  size   = "s-1vcpu-1gb"
  image  = "ubuntu-24-04-x64"
}
"""),
    ("infra/prod.tfvars", """\
environment          = "prod"
region               = "eu-west-1"
instance_count       = 3
newrelic_account_id  = $[digits6]
newrelic_api_key     = "$[newrelic:tfvars]"
jira_base_url        = "https://acme-corp.atlassian.net"
jira_api_token       = "$[atlassian:tfvars]"
alert_email          = "oncall@acme-corp.io"
"""),
    ("config/app.toml", """\
# Catalog service configuration.

[server]
host = "0.0.0.0"
port = 8443
read_timeout = "15s"

[database]
url = "$[mongodb_url:toml]"
pool_size = 20

[integrations.notion]
token = "$[notion]"
workspace = "Acme Product"

[integrations.linear]
api_key = '$[linear]'
team = "PLAT"

[telemetry]
enabled = true
sample_rate = 0.1
"""),
    ("config/legacy.ini", """\
; Settings for the nightly export job (legacy cron host).
[general]
timezone = Europe/Berlin
output_dir = /var/lib/export

[smtp]
host = smtp.mailgun.org
port = 587
user = postmaster@mg.acme-corp.io
password = $[password:smtp]

[jira]
url = https://acme-corp.atlassian.net
email = build-bot@acme-corp.io
api_token = $[atlassian]

[export]
formats = csv,xlsx
"""),
    ("ledger/App.config", """\
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <connectionStrings>
    <add name="Storage" connectionString="$[azure_storage]" providerName="Azure.Storage.Blobs" />
  </connectionStrings>
  <appSettings>
    <add key="Ledger.Region" value="westeurope" />
    <add key="Sentry.AuthToken" value="$[sentry_user]" />
    <add key="Ledger.BatchSize" value="500" />
  </appSettings>
  <startup>
    <supportedRuntime version="v4.0" sku=".NETFramework,Version=v4.8" />
  </startup>
</configuration>
"""),
    ("ledger/appsettings.Production.json", """\
{
  "Logging": {
    "LogLevel": {
      "Default": "Information",
      "Microsoft.AspNetCore": "Warning"
    }
  },
  "ConnectionStrings": {
    "Ledger": "$[postgres_npgsql]"
  },
  "Payments": {
    "Provider": "square",
    "ApplicationId": "$[square_app_id]",
    "ApplicationSecret": "$[square_secret]"
  },
  "Reporting": {
    "ApiKey": "$[generic_api_key:json]",
    "Endpoint": "https://reports.acme-corp.io/v2"
  },
  "AllowedHosts": "*"
}
"""),
    ("build/settings.xml", """\
<settings xmlns="http://maven.apache.org/SETTINGS/1.2.0"
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          xsi:schemaLocation="http://maven.apache.org/SETTINGS/1.2.0 https://maven.apache.org/xsd/settings-1.2.0.xsd">
  <servers>
    <server>
      <id>acme-releases</id>
      <username>deployer</username>
      <password>$[password:maven]</password>
    </server>
  </servers>
  <mirrors>
    <mirror>
      <id>acme-central</id>
      <mirrorOf>central</mirrorOf>
      <url>https://nexus.acme-corp.io/repository/maven-public/</url>
    </mirror>
  </mirrors>
</settings>
"""),
    ("docs/runbook.md", """\
# On-call runbook: alert bots

## Check that the Telegram alert bot is alive

```bash
curl -s https://api.telegram.org/bot$[telegram]/getMe | jq .
```

If it returns `"ok": false`, the bot was removed from the group; add it back from the group settings.

## Ask the research assistant

The triage helper calls Perplexity directly:

```python
import requests

resp = requests.post(
    "https://api.perplexity.ai/chat/completions",
    headers={"Authorization": "Bearer $[perplexity]"},
    json={"model": "sonar", "messages": [{"role": "user", "content": "Summarize incident"}]},
    timeout=30,
)
```

## Regenerate the status page image

```sh
export REPLICATE_API_TOKEN=$[replicate]
replicate run stability-ai/sdxl prompt="status page banner"
```
"""),
    ("deploy/keys/deploy_rsa", """\
$[rsa_private_key]
"""),
    ("ansible/group_vars/all.yml", """\
---
app_user: deploy
app_root: /srv/storefront
node_version: "20"

deploy_ssh_known_hosts:
  - "github.com $[ssh_ed25519_public:host]"

deploy_ssh_private_key: |
  $[openssh_private_key]

nginx_worker_processes: auto
nginx_client_max_body_size: 20m
"""),
    ("credentials/invoice-exporter.json", """\
$[gcp_service_account]
"""),
    ("services/geo/maps.py", '''\
"""Geocoding helpers for the delivery service."""
import functools

import googlemaps

GOOGLE_MAPS_API_KEY = "$[gcp_api_key]"


@functools.lru_cache(maxsize=1)
def client() -> googlemaps.Client:
    return googlemaps.Client(key=GOOGLE_MAPS_API_KEY, timeout=5)


def geocode(address: str) -> tuple[float, float] | None:
    results = client().geocode(address)
    if not results:
        return None
    location = results[0]["geometry"]["location"]
    return location["lat"], location["lng"]
'''),
    ("services/api/client.py", '''\
"""HTTP client for the billing API, used by the reporting jobs."""
import logging

import requests
from slack_sdk import WebClient

log = logging.getLogger(__name__)

# Long-lived service token issued by auth.acme-corp.io for the reporting job.
SERVICE_JWT = "$[jwt]"

slack = WebClient(token="$[slack_bot]")


class BillingClient:
    def __init__(self, base_url: str = "https://billing.internal/api/v1"):
        self.base_url = base_url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {SERVICE_JWT}"

    def invoices(self, customer_id: str) -> list[dict]:
        resp = self.session.get(f"{self.base_url}/customers/{customer_id}/invoices", timeout=10)
        resp.raise_for_status()
        return resp.json()["data"]


def report_failure(job: str, error: Exception) -> None:
    log.error("job %s failed: %s", job, error)
    slack.chat_postMessage(channel="#billing-alerts", text=f"{job} failed: {error}")
'''),
    (".npmrc", """\
registry=https://registry.npmjs.org/
@acme:registry=https://npm.pkg.github.com
//npm.pkg.github.com/:_authToken=$[github_classic:npmrc]
//registry.npmjs.org/:_authToken=$[npm:npmrc]
save-exact=true
"""),
    (".pypirc", """\
[distutils]
index-servers =
    pypi
    internal

[pypi]
username = __token__
password = $[pypi:pypirc]

[internal]
repository = https://pypi.acme-corp.io/simple/
username = ci
password = $[password:pypirc]
"""),
    ("config/shopify.yml", """\
production:
  shop_domain: acme-outdoor.myshopify.com
  api_version: "2024-07"
  admin_access_token: $[shopify_access]
  api_secret_key: "$[shopify_secret]"
  webhook_topics:
    - orders/create
    - orders/paid
    - refunds/create
"""),
    ("bot/discord_bot.py", '''\
"""Discord bot that posts release notes to #announcements."""
import discord
from discord.ext import commands

DISCORD_BOT_TOKEN = "$[discord]"
ANNOUNCEMENTS_CHANNEL_ID = $[digits12]

intents = discord.Intents.default()
intents.message_content = True
bot = commands.Bot(command_prefix="!", intents=intents)


@bot.command()
async def release(ctx, version: str):
    channel = bot.get_channel(ANNOUNCEMENTS_CHANNEL_ID)
    await channel.send(f"Version {version} is out: https://acme-corp.io/changelog#{version}")


if __name__ == "__main__":
    bot.run(DISCORD_BOT_TOKEN)
'''),
    ("deploy/aws/credentials", """\
[default]
region = eu-central-1
output = json

[ci-deployer]
aws_access_key_id = $[aws_key_id:ini]
aws_secret_access_key = $[aws_secret:ini]
region = eu-west-1
"""),
    ("scripts/github_app_tokens.json", """\
{
  "app_id": $[digits6],
  "installation_id": $[digits12],
  "installation_token": "$[github_installation]",
  "installation_token_expires_at": "2025-03-14T09:26:53Z",
  "user_access_token": "$[github_user_to_server]",
  "refresh_token": "$[github_refresh]",
  "refresh_token_expires_in": 15897600
}
"""),
    ("ml/finetune.py", '''\
"""Fine-tune the support classifier and push it to the Hub."""
import os

from huggingface_hub import login
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer

login(token="$[huggingface:ml]")
os.environ["REPLICATE_API_TOKEN"] = "$[replicate:ml]"

MODEL = "distilbert-base-uncased"
tokenizer = AutoTokenizer.from_pretrained(MODEL)
model = AutoModelForSequenceClassification.from_pretrained(MODEL, num_labels=7)


def train(dataset):
    trainer = Trainer(model=model, train_dataset=dataset["train"], eval_dataset=dataset["test"])
    trainer.train()
    trainer.push_to_hub("acme/support-classifier")
'''),
    ("scripts/backup.sh", """\
#!/bin/sh
# Nightly logical backups, run from cron on backup-01.
set -eu

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
dest="/var/backups/db/${stamp}"
mkdir -p "$dest"

pg_dump --format=custom --file="$dest/orders.dump" "$[postgres_url:backup]"
mongodump --uri='$[mongodb_url:backup]' --out="$dest/catalog"

find /var/backups/db -maxdepth 1 -mtime +14 -exec rm -rf {} +
"""),
    ("services/auth/config.yaml", """\
server:
  listen: ":9000"
  read_timeout: 10s

session:
  cookie_name: acme_session
  signing_secret: $[generic_hex_secret]
  max_age: 86400

upstreams:
  billing:
    url: https://billing.internal
    api_key: $[generic_api_key:yaml]
  search:
    url: https://search.internal
    api_key: "$[generic_api_key:yaml2]"

database:
  driver: postgres
  host: auth-db.internal
  user: auth
  password: $[password:yaml]
"""),
    ("services/auth/keys.go", """\
package auth

import "crypto/rsa"

// signingKeyPEM signs session tokens. It is loaded once at start-up.
const signingKeyPEM = `$[rsa_private_key:go]
`

var adminPassword = "$[password:go]"

func loadSigningKey() (*rsa.PrivateKey, error) {
	return parseRSAPrivateKey([]byte(signingKeyPEM))
}
"""),
    ("web/src/config/anthropic.ts", """\
export interface ModelConfig {
  provider: "anthropic" | "openai";
  model: string;
  apiKey: string;
}

export const defaultModel: ModelConfig = {
  provider: "anthropic",
  model: "claude-3-5-haiku-latest",
  apiKey: "$[anthropic:ts]",
};

export const fallbackStripeKey: string = "$[stripe_secret_short]";
"""),
    ("scripts/slack_invite.rb", """\
require "slack-ruby-client"

Slack.configure do |config|
  config.token = "$[slack_bot:ruby]"
end

client = Slack::Web::Client.new
ARGV.each do |email|
  client.admin_users_invite(team_id: "T024BE7LD", email: email, channel_ids: "C01ABCDEF")
end
"""),
    ("docs/deploy.md", """\
# Deploying the storefront

The CI job deploys on every merge to `main`. To deploy by hand:

```bash
heroku container:login
export HEROKU_API_KEY=$[heroku_v2:md]
heroku container:push web --app acme-storefront
heroku container:release web --app acme-storefront
```

To post the result to the team channel:

```bash
curl -X POST -H 'Content-type: application/json' --data '{"text":"deployed"}' $[slack_webhook:md]
```
"""),
    ("windows/deploy.ps1", """\
# Deploys the ledger service from a Windows build agent. Saved with CRLF line endings.
$ErrorActionPreference = "Stop"

$env:GITHUB_TOKEN = "$[github_classic:ps1]"
$headers = @{
    "Authorization" = "Bearer $[dockerhub_pat:ps1]"
    "Accept"        = "application/json"
}

$apiKey = '$[generic_api_key:ps1]'
Invoke-RestMethod -Uri "https://hub.docker.com/v2/repositories/acme/ledger/tags" -Headers $headers
Write-Host "Deploying ledger with key ending in $($apiKey.Substring($apiKey.Length - 4))"
"""),
    ("notebooks/explore_churn.ipynb", """\
{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": 1,
   "metadata": {},
   "outputs": [],
   "source": [
    "import openai\\n",
    "import pandas as pd\\n",
    "\\n",
    "openai.api_key = \\"$[openai_project:ipynb]\\"\\n",
    "df = pd.read_parquet(\\"s3://acme-analytics/churn/2024-06.parquet\\")"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 2,
   "metadata": {},
   "outputs": [],
   "source": [
    "import os\\n",
    "os.environ[\\"HF_TOKEN\\"] = \\"$[huggingface:ipynb]\\"\\n",
    "df.groupby(\\"plan\\").churned.mean()"
   ]
  }
 ],
 "metadata": {
  "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
  "language_info": {"name": "python", "version": "3.12.4"}
 },
 "nbformat": 4,
 "nbformat_minor": 5
}
"""),
    ("web/static/bundle.js", """\
(self.webpackChunkstorefront=self.webpackChunkstorefront||[]).push([[792],{$[minified_code:a],4821:function(e,t,n){n.d(t,{Z:function(){return r}});var r={firebase:{apiKey:"$[gcp_api_key:bundle]",authDomain:"acme-storefront.firebaseapp.com",projectId:"acme-storefront"}}},$[minified_code:b]}]);
"""),
    ("scripts/mirror_repos.sh", """\
#!/usr/bin/env bash
# Mirror the public repositories to the internal GitLab every night.
set -euo pipefail

for repo in sdk-js sdk-python docs; do
  git clone --mirror "https://x-access-token:$[github_installation:mirror]@github.com/acme/${repo}.git" "/tmp/${repo}.git"
  git -C "/tmp/${repo}.git" push --mirror \\
    "https://oauth2:$[gitlab_pat:mirror]@gitlab.acme-corp.io/mirrors/${repo}.git"
  rm -rf "/tmp/${repo}.git"
done
"""),
    ("deploy/k8s/ingress-tls.yaml", """\
apiVersion: v1
kind: Secret
metadata:
  name: storefront-tls
  namespace: storefront
type: kubernetes.io/tls
stringData:
  tls.crt: |
    $[certificate_pem:ingress]
  tls.key: |
    $[ec_private_key]
"""),
]


# Files that contain no credential. Every finding in them is a false positive.
LOOKALIKE_FILES = [
    ("lookalike/app/settings.py", '''\
"""Settings read from the environment; nothing secret is stored here."""
import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
OPENAI_API_KEY = os.environ["OPENAI_API_KEY"]
ANTHROPIC_API_KEY = os.getenv("ANTHROPIC_API_KEY")
AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY")
STRIPE_SECRET_KEY = os.environ["STRIPE_SECRET_KEY"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("DB_NAME", "app"),
        "USER": os.environ.get("DB_USER", "app"),
        "PASSWORD": os.environ["DB_PASSWORD"],
        "HOST": os.environ.get("DB_HOST", "localhost"),
    }
}

password = os.environ["SMTP_PASSWORD"]
api_key = settings_from_vault("payments/api_key")
token = get_secret(name="github-token")
'''),
    ("lookalike/web/src/api.ts", """\
import Stripe from "stripe";

const stripe = new Stripe(process.env.STRIPE_KEY!, { apiVersion: "2024-06-20" });
const openaiKey = process.env.OPENAI_API_KEY ?? "";
const githubToken: string = process.env["GITHUB_TOKEN"] || "";
const publicUrl = import.meta.env.VITE_PUBLIC_URL;

export const apiKey = process.env.NEXT_PUBLIC_API_KEY;
export const password = process.env.ADMIN_PASSWORD;

export function authHeaders(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

export { stripe, openaiKey, githubToken, publicUrl };
"""),
    ("lookalike/.github/workflows/release.yml", """\
name: release
on:
  push:
    tags: ["v*"]
jobs:
  publish:
    runs-on: ubuntu-latest
    permissions:
      contents: write
      id-token: write
    steps:
      - uses: actions/checkout@$[git_sha:checkout]
        with:
          persist-credentials: false
      - uses: actions/setup-node@$[git_sha:setup_node]
        with:
          node-version: 20
          registry-url: https://registry.npmjs.org
      - run: npm ci
      - run: npm publish --provenance
        env:
          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}
      - name: Create release
        env:
          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}
          SLACK_WEBHOOK_URL: ${{ secrets.SLACK_WEBHOOK_URL }}
        run: |
          gh release create "${GITHUB_REF_NAME}" --generate-notes
          curl -sS -H "Authorization: token ${GITHUB_TOKEN}" https://api.github.com/rate_limit
          curl -sS -X POST --data '{"text":"released"}' "$SLACK_WEBHOOK_URL"
"""),
    ("lookalike/charts/billing/templates/secret.yaml", """\
apiVersion: v1
kind: Secret
metadata:
  name: {{ include "billing.fullname" . }}
  labels:
    {{- include "billing.labels" . | nindent 4 }}
type: Opaque
stringData:
  password: {{ .Values.password }}
  database-url: "postgresql://{{ .Values.db.user }}:{{ .Values.db.password }}@{{ .Values.db.host }}:5432/billing"
  stripe-secret-key: {{ .Values.stripe.secretKey | quote }}
  api_key: "{{ .Values.apiKey }}"
"""),
    ("lookalike/charts/billing/values.yaml", """\
replicaCount: 2
image:
  repository: ghcr.io/acme/billing
  tag: ""
password: ""
apiKey: ""
db:
  host: billing-db
  user: billing
  password: changeme
stripe:
  secretKey: <token>
"""),
    ("lookalike/.env.example", """\
# Copy to .env and fill in real values. Never commit the real file.
OPENAI_API_KEY=your-api-key-here
ANTHROPIC_API_KEY=<your-anthropic-key>
STRIPE_SECRET_KEY=<token>
GITHUB_TOKEN=xxxxxxxx
SLACK_BOT_TOKEN=xoxb-your-bot-token
DB_PASSWORD=changeme
SENDGRID_API_KEY=$[placeholder_sendgrid]
AWS_ACCESS_KEY_ID=$[aws_doc_key_id]
AWS_SECRET_ACCESS_KEY=$[aws_doc_secret]
DATABASE_URL=postgresql://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:5432/app
API_KEY=
"""),
    ("lookalike/docs/quickstart.md", """\
# Quickstart

1. Create a personal access token and export it:

   ```bash
   export GITHUB_TOKEN=$[placeholder_github]
   export OPENAI_API_KEY="sk-proj-..."
   export ANTHROPIC_API_KEY=<your key>
   ```

2. Point the service at your database:

   ```bash
   export DATABASE_URL=postgresql://user:password@localhost:5432/mydb
   export MONGO_URL="mongodb+srv://<username>:<password>@cluster0.example.mongodb.net/"
   ```

3. Configure the Slack webhook, for example
   `$[placeholder_slack_webhook]`.

The Stripe client takes the key as its first argument: `new Stripe("sk_live_...")`.
Set `password: ********` in `config.yaml` only on your own machine.
"""),
    ("lookalike/docs/aws-setup.md", """\
# Configuring the AWS CLI

Run `aws configure` and answer the prompts. The values below are the example pair from the
AWS documentation, not working keys:

```ini
[default]
aws_access_key_id = $[aws_doc_key_id]
aws_secret_access_key = $[aws_doc_secret]
region = us-west-2
```
"""),
    ("lookalike/config/app.yaml", """\
database:
  host: db.internal
  user: app
  password: changeme
smtp:
  password: "********"
payments:
  api_key: <token>
  webhook_secret: ${PAYMENTS_WEBHOOK_SECRET}
github:
  token: xxxxxxxx
sentry:
  dsn: ${SENTRY_DSN}
auth:
  client_secret: "{{ .Values.auth.clientSecret }}"
  jwt_secret: $(cat /run/secrets/jwt)
"""),
    ("lookalike/web/package-lock.json", """\
{
  "name": "storefront",
  "version": "3.4.1",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "storefront",
      "version": "3.4.1",
      "dependencies": {
        "react": "^18.3.1",
        "stripe": "^16.2.0"
      }
    },
    "node_modules/js-tokens": {
      "version": "4.0.0",
      "resolved": "https://registry.npmjs.org/js-tokens/-/js-tokens-4.0.0.tgz",
      "integrity": "$[sha512_integrity:a]"
    },
    "node_modules/loose-envify": {
      "version": "1.4.0",
      "resolved": "https://registry.npmjs.org/loose-envify/-/loose-envify-1.4.0.tgz",
      "integrity": "$[sha512_integrity:b]",
      "dependencies": {
        "js-tokens": "^3.0.0 || ^4.0.0"
      }
    },
    "node_modules/qs": {
      "version": "6.12.3",
      "resolved": "https://registry.npmjs.org/qs/-/qs-6.12.3.tgz",
      "integrity": "$[sha512_integrity:c]"
    },
    "node_modules/react": {
      "version": "18.3.1",
      "resolved": "https://registry.npmjs.org/react/-/react-18.3.1.tgz",
      "integrity": "$[sha512_integrity:d]"
    },
    "node_modules/stripe": {
      "version": "16.2.0",
      "resolved": "https://registry.npmjs.org/stripe/-/stripe-16.2.0.tgz",
      "integrity": "$[sha512_integrity:e]"
    }
  }
}
"""),
    ("lookalike/web/yarn.lock", """\
# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


"@babel/code-frame@^7.24.7":
  version "7.24.7"
  resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.24.7.tgz#$[git_sha:y1]"
  integrity $[sha512_integrity:y1]
  dependencies:
    "@babel/highlight" "^7.24.7"
    picocolors "^1.0.0"

js-tokens@^4.0.0:
  version "4.0.0"
  resolved "https://registry.yarnpkg.com/js-tokens/-/js-tokens-4.0.0.tgz#$[git_sha:y2]"
  integrity $[sha512_integrity:y2]

picocolors@^1.0.0:
  version "1.0.1"
  resolved "https://registry.yarnpkg.com/picocolors/-/picocolors-1.0.1.tgz#$[git_sha:y3]"
  integrity $[sha1_integrity:y3]
"""),
    ("lookalike/svc/go.sum", """\
github.com/davecgh/go-spew v1.1.1 $[gosum_hash:a]
github.com/davecgh/go-spew v1.1.1/go.mod $[gosum_hash:b]
github.com/google/uuid v1.6.0 $[gosum_hash:c]
github.com/google/uuid v1.6.0/go.mod $[gosum_hash:d]
github.com/stretchr/testify v1.9.0 $[gosum_hash:e]
github.com/stretchr/testify v1.9.0/go.mod $[gosum_hash:f]
golang.org/x/crypto v0.25.0 $[gosum_hash:g]
golang.org/x/crypto v0.25.0/go.mod $[gosum_hash:h]
gopkg.in/yaml.v3 v3.0.1 $[gosum_hash:i]
gopkg.in/yaml.v3 v3.0.1/go.mod $[gosum_hash:j]
"""),
    ("lookalike/Cargo.lock", """\
# This file is automatically @generated by Cargo.
# It is not intended for manual editing.
version = 3

[[package]]
name = "base64"
version = "0.22.1"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "$[sha256_hex:a]"

[[package]]
name = "serde"
version = "1.0.204"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "$[sha256_hex:b]"
"""),
    ("lookalike/CHANGELOG.md", """\
# Changelog

## 3.4.1

- Fix the retry loop in the webhook dispatcher ($[git_sha:c1]).
- Bump `stripe` to 16.2.0 ([$[short_sha:c2]](https://github.com/acme/storefront/commit/$[git_sha:c2])).

## 3.4.0

- Reverts commit $[git_sha:c3].
- Merge pull request #812 from acme/feature/invoices ($[git_sha:c4]).
"""),
    ("lookalike/.git-blame-ignore-revs", """\
# Reformat with black 24
$[git_sha:r1]
# Switch to tabs in the C sources
$[git_sha:r2]
"""),
    ("lookalike/infra/azure.tf", """\
provider "azurerm" {
  features {}
  tenant_id       = "$[uuid:tenant]"
  subscription_id = "$[uuid:subscription]"
}

data "azuread_service_principal" "deployer" {
  client_id = "$[uuid:client]"
}

resource "azurerm_role_assignment" "deployer" {
  scope                = "/subscriptions/$[uuid:subscription]/resourceGroups/storefront"
  role_definition_name = "Contributor"
  principal_id         = "$[uuid:principal]"
}

variable "db_password" {
  type      = string
  sensitive = true
}

resource "azurerm_postgresql_flexible_server" "main" {
  name                   = "storefront-pg"
  administrator_login    = "pgadmin"
  administrator_password = var.db_password
}
"""),
    ("lookalike/services/ids.py", '''\
"""Fixed identifiers used to derive stable UUIDs for imported records."""
import uuid

NAMESPACE_ORDERS = uuid.UUID("$[uuid:orders]")
NAMESPACE_CUSTOMERS = uuid.UUID("$[uuid:customers]")
DEFAULT_TENANT_ID = "$[uuid:tenant]"
REQUEST_ID_HEADER = "X-Request-Id"
TRACE_SAMPLE = {"trace_id": "$[hex32:trace]", "span_id": "$[short_sha:span]$[short_sha:span2]"}
'''),
    ("lookalike/web/public/index.html", """\
<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <link rel="icon" type="image/png" href="data:image/png;base64,$[png_base64:favicon]" />
    <title>Acme Storefront</title>
    <script type="module" crossorigin src="/assets/index-$[chunk_hash:index].js"></script>
  </head>
  <body>
    <div id="root"></div>
    <img alt="" src="data:image/png;base64,$[png_base64:pixel]" width="1" height="1" />
  </body>
</html>
"""),
    ("lookalike/web/src/styles.css", """\
.hero {
  background-image: url("data:image/png;base64,$[png_base64:hero]");
  background-size: cover;
}

.badge::before {
  content: "";
  background: url(data:image/png;base64,$[png_base64:badge]) no-repeat center;
}

._$[css_hash:a] { display: flex; }
.css-$[css_hash:b] { margin: 0 auto; }
"""),
    ("lookalike/web/dist/app.min.js", """\
"use strict";(self.webpackChunkstorefront=self.webpackChunkstorefront||[]).push([[179],{7294:function(e,t,n){var r=n(3935),o=n(5893);function a(e){return(0,o.jsx)("div",{className:"_$[css_hash:m1] css-$[css_hash:m2]",children:e.children})}t.Z=a},3935:function(e,t){t.u=function(e){return"static/js/"+e+"."+{216:"$[short_sha:j1]",592:"$[short_sha:j2]",844:"$[short_sha:j3]"}[e]+".chunk.js"},t.h="$[chunk_hash:build]"}}]);
//# sourceMappingURL=app.min.js.map
"""),
    ("lookalike/web/dist/app.min.js.map", """\
{"version":3,"file":"app.min.js","sources":["webpack://storefront/./src/index.tsx","webpack://storefront/./src/App.tsx"],"names":["a","e","t","n","r","o"],"mappings":"$[vlq_mappings]"}
"""),
    ("lookalike/release/SHA256SUMS", """\
$[sha256_hex:linux_amd64]  nhiscan-1.2.0-linux-amd64.tar.gz
$[sha256_hex:linux_arm64]  nhiscan-1.2.0-linux-arm64.tar.gz
$[sha256_hex:darwin_arm64]  nhiscan-1.2.0-darwin-arm64.tar.gz
$[sha256_hex:windows]  nhiscan-1.2.0-windows-amd64.zip
"""),
    ("lookalike/deploy/authorized_keys", """\
$[ssh_rsa_public] deploy@ci-runner-01
$[ssh_ed25519_public] alice@laptop
"""),
    ("lookalike/certs/jwt-public.pem", """\
$[public_key_pem]
"""),
    ("lookalike/certs/ca.crt", """\
$[certificate_pem]
"""),
    ("lookalike/web/src/checkout.js", """\
import { loadStripe } from "@stripe/stripe-js";

// Publishable keys identify the account to Stripe.js and are meant to ship to browsers.
const stripePromise = loadStripe("$[stripe_publishable]");

export async function redirectToCheckout(sessionId) {
  const stripe = await stripePromise;
  return stripe.redirectToCheckout({ sessionId });
}
"""),
    ("lookalike/k8s/deployment.yaml", """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: billing
  uid: $[uuid:k8s]
spec:
  template:
    spec:
      containers:
        - name: billing
          image: ghcr.io/acme/billing@sha256:$[sha256_hex:image]
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: billing-db
                  key: password
            - name: STRIPE_SECRET_KEY
              valueFrom:
                secretKeyRef:
                  name: billing-stripe
                  key: secret-key
"""),
    ("lookalike/scripts/deploy.sh", """\
#!/usr/bin/env bash
set -euo pipefail

: "${GITHUB_TOKEN:?GITHUB_TOKEN must be set}"
DB_PASSWORD="$(vault kv get -field=password secret/billing/db)"
export PGPASSWORD="${DB_PASSWORD}"

curl -fsSL -H "Authorization: Bearer ${GITHUB_TOKEN}" \\
  "https://api.github.com/repos/acme/billing/deployments"
echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > ~/.npmrc
docker login -u acmebuildbot --password-stdin <<< "$DOCKERHUB_TOKEN"
"""),
]


def lookalike_specs(specs):
    """Add the placeholders that only the look-alike files use.

    They are assembled at run time because a scanner without placeholder filters would flag
    them in this file.
    """
    extra = dict(specs)
    extra["aws_doc_key_id"] = Spec(lambda: AWS_DOC_KEY_ID)
    extra["aws_doc_secret"] = Spec(lambda: AWS_DOC_SECRET)
    extra["placeholder_github"] = Spec(lambda: "ghp_" + "x" * 36)
    extra["placeholder_sendgrid"] = Spec(lambda: "SG." + "x" * 22 + "." + "x" * 43)
    extra["placeholder_slack_webhook"] = Spec(
        lambda: "https://hooks.slack.com/services/T" + "0" * 8 + "/B" + "0" * 8 + "/" + "X" * 24)
    return extra


def generate(outdir, seed):
    rng = random.Random(seed)
    specs = build_specs(Tokens(rng))
    corpus = Corpus(outdir, specs)
    for path, template in POSITIVE_FILES:
        corpus.write(path, template)

    corpus.specs = lookalike_specs(specs)
    for path, template in LOOKALIKE_FILES:
        corpus.write(path, template)
    if any(p["path"].startswith("lookalike/") for p in corpus.planted):
        raise AssertionError("a look-alike template plants a credential")

    corpus.write_expected(seed)
    return corpus


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", help="folder to write the corpus into (created if missing)")
    parser.add_argument("--seed", type=int, default=None,
            help="seed of the random generator (default: a random seed, printed on stderr)")
    args = parser.parse_args(argv)

    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    corpus = generate(args.outdir, seed)
    providers = {p["provider"] for p in corpus.planted}
    lookalikes = sum(1 for path in corpus.files if path.startswith("lookalike/"))
    print(f"generate.py: seed {seed}: {len(corpus.planted)} credentials from {len(providers)} "
        f"providers in {len(corpus.files) - lookalikes} files, and {lookalikes} look-alike files, "
        f"under {args.outdir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""A second, independent implementation of the .nzm canonical form and model id
(docs/MODEL_FORMAT.md), in Python's standard library plus libxxhash through ctypes.
It trusts its input (no hostile-input checks: that is the C++ loader's job) and exists so
that the spec is proved implementable from the text alone; tests/cli/model_info.sh checks
that it agrees with `nzip model info`.

    nzm_reference.py id FILE           print the model id of a safetensors file
    nzm_reference.py canonical IN OUT  rewrite IN in canonical form
    nzm_reference.py example OUT       write the spec's worked example
    nzm_reference.py variant OUT       the worked example as another tool might write it
    nzm_reference.py plain OUT         a plain safetensors file (F32, "format": "pt")
"""
import ctypes
import json
import struct
import sys

DTYPE_SIZE = {"BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "I16": 2, "U16": 2, "F16": 2,
              "BF16": 2, "I32": 4, "U32": 4, "F32": 4, "F64": 8, "I64": 8, "U64": 8}


class _H128(ctypes.Structure):
    _fields_ = [("low64", ctypes.c_uint64), ("high64", ctypes.c_uint64)]


def xxh3_128_hex(data: bytes) -> str:
    lib = ctypes.CDLL("libxxhash.so.0")
    lib.XXH3_128bits.restype = _H128
    lib.XXH3_128bits.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
    h = lib.XXH3_128bits(data, len(data))
    return "%016x%016x" % (h.high64, h.low64)  # XXH128_canonical_t: big-endian high, low


def json_string(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def read(path):
    raw = open(path, "rb").read()
    (n,) = struct.unpack_from("<Q", raw, 0)
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    metadata = header.pop("__metadata__", {}) or {}
    tensors = {}
    for name, t in header.items():
        b, e = t["data_offsets"]
        tensors[name] = (t["dtype"], list(t["shape"]), data[b:e])
    return tensors, metadata


def canonical(tensors, metadata) -> bytes:
    # Data: by dtype size, largest first, then by name (str order = UTF-8 byte order).
    order = sorted(tensors, key=lambda n: (-DTYPE_SIZE[tensors[n][0]], n.encode()))
    offsets, at = {}, 0
    for n in order:
        offsets[n] = (at, at + len(tensors[n][2]))
        at += len(tensors[n][2])
    entries = {}
    for n, (dtype, shape, _) in tensors.items():
        b, e = offsets[n]
        entries[n] = ('{"data_offsets":[%d,%d],"dtype":"%s","shape":[%s]}'
                      % (b, e, dtype, ",".join(str(d) for d in shape)))
    if metadata:
        entries["__metadata__"] = "{" + ",".join(
            json_string(k) + ":" + json_string(metadata[k]) for k in sorted(metadata, key=str.encode)) + "}"
    header = "{" + ",".join(json_string(k) + ":" + entries[k] for k in sorted(entries, key=str.encode)) + "}"
    header = header.encode("utf-8")
    header += b" " * (-len(header) % 8)
    return struct.pack("<Q", len(header)) + header + b"".join(tensors[n][2] for n in order)


ARCH = ('{"d_model":4,"element_size":1,"ff":8,"heads":2,"kind":"transformer",'
        '"layers":1,"vocab":256,"window":16}')


def example():
    tensors = {"w": ("I8", [2, 3], bytes([1, 2, 3, 4, 5, 6])),
               "w.scale": ("I32", [2], struct.pack("<2i", 256, 512))}
    metadata = {"format": "nzm", "format_version": "1", "architecture": ARCH}
    return tensors, metadata


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "id":
        print(xxh3_128_hex(canonical(*read(argv[2]))))
    elif cmd == "canonical":
        open(argv[3], "wb").write(canonical(*read(argv[2])))
    elif cmd == "example":
        open(argv[2], "wb").write(canonical(*example()))
    elif cmd == "variant":
        # Same content: metadata first, other key order, whitespace, "w" stored first, newline padding.
        header = ('{ "__metadata__": {"format_version": "1", "format": "nzm", "architecture": %s},\n'
                  '  "w": {"shape": [2, 3], "dtype": "I8", "data_offsets": [0, 6]},\n'
                  '  "w.scale": {"dtype": "I32", "shape": [2], "data_offsets": [6, 14]}\n}\n  '
                  % json.dumps(ARCH)).encode()
        data = bytes([1, 2, 3, 4, 5, 6]) + struct.pack("<2i", 256, 512)
        open(argv[2], "wb").write(struct.pack("<Q", len(header)) + header + data)
    elif cmd == "plain":
        header = b'{"__metadata__":{"format":"pt"},"bias":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}'
        open(argv[2], "wb").write(struct.pack("<Q", len(header)) + header + struct.pack("<2f", 0.5, -1.0))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)

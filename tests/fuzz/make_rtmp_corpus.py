#!/usr/bin/env python3
"""Writes the seed corpora of the RTMP fuzz drivers (fuzz_amf, fuzz_rtmp_chunk,
fuzz_rtmp_session) into tests/fuzz/corpus/<driver>/. The bytes are built here
from the AMF0/AMF3 and chunk stream specifications, independently of the C code.

    usage: tests/fuzz/make_rtmp_corpus.py      (rewrites the files; deterministic)
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


# ---- AMF0 ----
def num(v):
    return b"\x00" + struct.pack(">d", v)


def boolean(v):
    return b"\x01" + (b"\x01" if v else b"\x00")


def s(v):
    b = v.encode() if isinstance(v, str) else v
    return b"\x02" + struct.pack(">H", len(b)) + b


def key(k):
    return struct.pack(">H", len(k)) + k.encode()


def obj(props):
    return b"\x03" + b"".join(key(k) + v for k, v in props) + b"\x00\x00\x09"


def ecma(props):
    return (b"\x08" + struct.pack(">I", len(props)) + b"".join(key(k) + v for k, v in props)
            + b"\x00\x00\x09")


def strict(items):
    return b"\x0a" + struct.pack(">I", len(items)) + b"".join(items)


NULL = b"\x05"


# ---- AMF3 (inside avmplus 0x11) ----
def u29(v):
    v &= 0x1FFFFFFF
    if v < 0x80:
        return bytes([v])
    if v < 0x4000:
        return bytes([(v >> 7) | 0x80, v & 0x7F])
    if v < 0x200000:
        return bytes([(v >> 14) | 0x80, ((v >> 7) & 0x7F) | 0x80, v & 0x7F])
    return bytes([(v >> 22) | 0x80, ((v >> 15) & 0x7F) | 0x80, ((v >> 8) & 0x7F) | 0x80, v & 0xFF])


def str3(v):
    b = v.encode()
    return u29(len(b) << 1 | 1) + b


# ---- chunk stream ----
def chunks(csid, msg_type, sid, ts, payload, chunk_size=128):
    """One message: fmt 0 header, then fmt 3 continuations (extended timestamps repeated)."""
    def basic(fmt):
        if csid < 64:
            return bytes([fmt << 6 | csid])
        if csid < 320:
            return bytes([fmt << 6, csid - 64])
        return bytes([fmt << 6 | 1, (csid - 64) & 0xFF, (csid - 64) >> 8])

    ext = ts >= 0xFFFFFF
    out = basic(0) + (b"\xff\xff\xff" if ext else struct.pack(">I", ts)[1:])
    out += struct.pack(">I", len(payload))[1:] + bytes([msg_type]) + struct.pack("<I", sid)
    if ext:
        out += struct.pack(">I", ts)
    out += payload[:chunk_size]
    for i in range(chunk_size, len(payload), chunk_size):
        out += basic(3) + (struct.pack(">I", ts) if ext else b"") + payload[i:i + chunk_size]
    return out


def set_chunk_size(n):
    return chunks(2, 1, 0, 0, struct.pack(">I", n))


def connect(app="live"):
    return s("connect") + num(1) + obj([
        ("app", s(app)), ("type", s("nonprivate")),
        ("flashVer", s("FMLE/3.0 (compatible; Lavf59.27.100)")),
        ("tcUrl", s("rtmp://127.0.0.1:1935/" + app))])


def cmd(name, tx, *args):
    return s(name) + num(tx) + NULL + b"".join(args)


def metadata():
    return s("@setDataFrame") + s("onMetaData") + ecma([
        ("width", num(320)), ("height", num(240)), ("videocodecid", num(7)),
        ("audiocodecid", num(10)), ("stereo", boolean(True)), ("encoder", s("Lavf59.27.100"))])


def publisher(name, tail=b""):
    cs = 4096
    out = set_chunk_size(cs)
    out += chunks(3, 20, 0, 0, connect(), cs)
    out += chunks(3, 20, 0, 0, cmd("releaseStream", 2, s(name)), cs)
    out += chunks(3, 20, 0, 0, cmd("FCPublish", 3, s(name)), cs)
    out += chunks(3, 20, 0, 0, cmd("createStream", 4), cs)
    out += chunks(8, 20, 1, 0, cmd("publish", 5, s(name), s("live")), cs)
    out += chunks(4, 18, 1, 0, metadata(), cs)
    out += chunks(4, 8, 1, 0, b"\xaf\x00\x12\x10", cs)
    out += chunks(6, 9, 1, 0, b"\x17\x00\x00\x00\x00\x01\x64\x00\x1f\xff\xe1\x00\x04gAAA", cs)
    out += chunks(6, 9, 1, 33, b"\x17\x01\x00\x00\x00" + bytes(range(256)) * 6, cs)
    out += chunks(4, 8, 1, 23, b"\xaf\x01" + bytes(40), cs)
    out += chunks(2, 4, 0, 0, b"\x00\x06\x00\x00\x12\x34", cs)  # ping request
    out += tail
    out += chunks(3, 20, 0, 0, cmd("FCUnpublish", 6, s(name)), cs)
    out += chunks(3, 20, 0, 0, cmd("deleteStream", 7, num(1)), cs)
    return out


def write(driver, name, data):
    d = os.path.join(HERE, "corpus", driver)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    # fuzz_amf: whole inputs are sequences of values.
    write("fuzz_amf", "connect", connect())
    write("fuzz_amf", "metadata", metadata())
    write("fuzz_amf", "nested", obj([
        ("list", strict([s("a"), num(-1.5), NULL, b"\x06", obj([("deep", boolean(False))])])),
        ("when", b"\x0b" + struct.pack(">d", 1.5e12) + b"\x00\x00"),
        ("long", b"\x0c" + struct.pack(">I", 5) + b"hello"),
        ("typed", b"\x10" + key("Klass") + key("x") + s("y") + b"\x00\x00\x09")]))
    amf3 = (b"\x11\x0a" + u29(1 << 4 | 0x0B) + str3("C") + str3("s")  # object, 1 sealed, dynamic
            + b"\x09" + u29(2 << 1 | 1) + u29(1) + b"\x06" + str3("a") + b"\x06" + u29(2 << 1)
            + str3("d") + b"\x04" + u29(300) + str3("f") + b"\x05" + struct.pack(">d", 0.25)
            + u29(1 << 1) + b"\x0a" + u29(1) + b"\x03" + u29(1)  # member "s" by ref, traits ref
            + u29(1))
    write("fuzz_amf", "avmplus", cmd("createStream", 2) + amf3 + b"\x11\x08\x01" + struct.pack(">d", 1e3))

    # fuzz_rtmp_chunk: the first byte also seeds the piece sizes.
    hdr_types = chunks(4, 8, 1, 1000, b"AAAA")
    hdr_types += b"\x84" + b"\x00\x00\x14" + b"BBBB"                        # fmt 2, delta 20
    hdr_types += b"\xc4" + b"CCCC"                                          # fmt 3, new message
    hdr_types += b"\x44" + b"\x00\x00\x1e" + b"\x00\x00\x06\x09" + b"DDDDDD"  # fmt 1
    write("fuzz_rtmp_chunk", "header-types", hdr_types)
    ext = chunks(5, 9, 1, 0x01000000, bytes(300))
    ext += b"\x45" + b"\xff\xff\xff" + b"\x00\x00\x0a\x09" + b"\x00\xff\xff\xff" + bytes(10)
    ext += b"\xc5" + b"\x00\xff\xff\xff" + bytes(10)
    write("fuzz_rtmp_chunk", "extended", ext)
    inter = chunks(4, 8, 1, 10, bytes(200))[:12 + 128] + chunks(6, 9, 1, 20, bytes(300))[:12 + 128]
    inter += b"\xc4" + bytes(72) + b"\xc6" + bytes(128) + b"\xc6" + bytes(44)
    inter += chunks(320, 18, 1, 0, s("onTextData")) + chunks(65599, 20, 0, 0, cmd("x", 0))
    write("fuzz_rtmp_chunk", "interleaved", inter)
    sizes = chunks(7, 9, 1, 0, bytes(300))[:12 + 128] + chunks(2, 2, 0, 0, struct.pack(">I", 7))
    sizes += chunks(2, 5, 0, 0, struct.pack(">I", 100)) + chunks(7, 8, 1, 5, b"hello")
    sizes += chunks(4, 9, 1, 0, bytes(300))[:12 + 128] + set_chunk_size(4096)
    sizes += b"\xc4" + bytes(172) + chunks(6, 9, 1, 0, bytes(4200), 4096)
    write("fuzz_rtmp_chunk", "sizes-abort-ack", sizes)

    # fuzz_rtmp_session: the chunk stream after the handshake. The name's first
    # letter picks the answer: d accept, e bad name, f rejected, g pending.
    agg = (b"\x08\x00\x00\x02\x00\x00\x64\x00\x00\x00\x00\xaf\x01\x00\x00\x00\x0d"
           b"\x09\x00\x00\x03\x00\x00\x85\x00\x00\x00\x00\x27\x01\x00\x00\x00\x00\x0e")
    write("fuzz_rtmp_session", "publish-accepted",
          publisher("demo?token=1", chunks(6, 22, 1, 1000, agg, 4096)))
    write("fuzz_rtmp_session", "publish-badname", publisher("evil"))
    write("fuzz_rtmp_session", "publish-rejected", publisher("fail"))
    amf3_connect = chunks(3, 17, 0, 0, b"\x00" + connect())
    amf3_connect += chunks(3, 20, 0, 0, cmd("createStream", 2))
    amf3_connect += chunks(8, 20, 1, 0, cmd("publish", 3, s("gate"), s("live")))
    amf3_connect += chunks(4, 15, 1, 0, b"\x00" + metadata())
    amf3_connect += chunks(3, 20, 0, 0, cmd("getStreamLength", 4, s("gate")))
    amf3_connect += chunks(8, 20, 1, 0, cmd("closeStream", 0))
    write("fuzz_rtmp_session", "amf3-pending", amf3_connect)
    write("fuzz_rtmp_session", "wrong-app", chunks(3, 20, 0, 0, connect("vod")))


if __name__ == "__main__":
    main()

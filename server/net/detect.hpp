#pragma once
// First-bytes detection: what a new connection speaks, decided from the bytes it sent first.
// Pure functions over bytes; the I/O around them is in connection_router.hpp.

#include <cstdint>
#include <span>

namespace blynk::net {

enum class Detected : uint8_t {
    NeedMore,  ///< not enough bytes yet to decide
    Tls,       ///< a TLS record (ClientHello)
    Http,      ///< an HTTP request line (GET, POST, ...)
    Hardware,  ///< the 5-byte-header hardware protocol (login first)
    App,       ///< the 7-byte-header mobile-app protocol
    Garbage,   ///< none of these (e.g. text that is not an HTTP method)
};

enum class Layer : uint8_t {
    Plain,      ///< raw bytes on http.port: TLS, HTTP, hardware or app
    TlsPort,    ///< raw bytes on https.port: only TLS is accepted there
    InsideTls,  ///< decrypted bytes: HTTP, hardware or app
};

/// Classifies the first bytes of a connection. Never needs more than 8 bytes.
/// - 0x16 0x03: TLS (a Blynk command 22 is never a first frame).
/// - An HTTP method followed by a space ("GET ", "OPTIONS ", ...): HTTP; other text: Garbage.
/// - Binary, in TLS or on the plain port: command 2 is a hardware login when its 16-bit length
///   field (bytes 3-4) is non-zero, and an app login (32-bit length) when those bytes are zero;
///   token lengths do not matter. The app's other pre-login commands (REGISTER 1, SHARE_LOGIN 32,
///   GET_SERVER 40) are the app protocol; everything else (the hardware login 29 among it) is
///   hardware.
Detected detect(std::span<const uint8_t> first, Layer layer);

/// Bytes to wait for before giving up with what we have (the deadline still applies).
inline constexpr size_t kMaxDetectBytes = 8;

}  // namespace blynk::net

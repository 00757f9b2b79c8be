#pragma once
// Socket helpers for the load generator: non-blocking loopback sockets, blocking set-up
// exchanges with a deadline (plain or TLS), and the process's file limit.

#include <openssl/ssl.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace blynk::bench {

/// Raises RLIMIT_NOFILE to its hard maximum (children such as blynkd inherit it); returns the
/// new soft limit.
uint64_t raise_nofile_limit();

/// Starts a non-blocking TCP connect to 127.0.0.1:port with TCP_NODELAY. Returns the fd, or -1
/// with errno set. `in_progress` tells whether completion must be awaited (EPOLLOUT).
/// `source` picks the source address 127.0.0.(1 + source % 16): with one source address the
/// kernel's search for a free ephemeral port (__inet_check_established) grows with every open
/// connection and, at 18,000 connections, costs the bench more than the server's whole login.
int connect_loopback(uint16_t port, bool& in_progress, size_t source = 0);

/// Blocking connect (with a deadline) returning a non-blocking fd, or -1.
int connect_loopback_blocking(uint16_t port, int timeout_ms);

/// The pending error of a connecting socket (SO_ERROR).
int socket_error(int fd);

/// Closes with an RST (SO_LINGER 0): connect storms would otherwise leave thousands of
/// TIME_WAIT sockets holding ephemeral ports.
void close_with_rst(int fd);

/// Frees `ssl` (when set) without sending anything and closes `fd` with an RST: a board losing
/// power. The session is first marked shut down, or OpenSSL would treat it as broken and not
/// resumable.
void reset_connection(int fd, SSL* ssl);

/// Registers `fd` on `ep` for `events` under `key` (adds it when `registered` is 0, else
/// modifies), unless `registered` already says so; `registered` becomes `events`.
void epoll_want(int ep, int fd, uint64_t key, uint32_t& registered, uint32_t events);

/// A listening non-blocking socket on 127.0.0.1 with an ephemeral port; -1 on failure.
int listen_loopback(uint16_t& port);

/// Sends all of `data` on a non-blocking fd (through `ssl` when set), waiting with poll() up to
/// the deadline.
bool send_all(int fd, std::string_view data, int timeout_ms, SSL* ssl = nullptr);

/// Receives exactly `n` bytes into `out` (appended), waiting up to the deadline.
bool recv_exact(int fd, size_t n, std::string& out, int timeout_ms, SSL* ssl = nullptr);

}  // namespace blynk::bench

#pragma once
// One framed connection's transport, for every protocol that speaks Blynk frames (hardware, app,
// /dashws): reads bytes, cuts them into frames with the pure codec, hands each frame to the
// protocol's dispatcher, and writes queued frames back (header and body always in one write, many
// frames per write when they queue up). What differs between the protocols (frame layout, message
// id rule, dispatcher, limits) is the Protocol policy (session_protocols.hpp); protocol logic
// lives in the handlers.
//
// An exception escaping a handler closes this session only (logged once, in its disconnect line).
//
// Threading: every handler runs on strand_. Before login that is the session's own strand; at
// login rebind() moves the session onto the user's strand, so routing to the user's other
// sessions never crosses threads.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/stream_traits.hpp>

#include "common/proto/codec.hpp"
#include "common/proto/command.hpp"
#include "server/hub/peer.hpp"
#include "server/hub/traffic.hpp"
#include "server/logging/peer_lines.hpp"
#include "server/net/address_limiter.hpp"
#include "server/net/deadline_wheel.hpp"
#include "server/net/flush_batch.hpp"
#include "server/net/live_connections.hpp"
#include "server/net/session_protocols.hpp"
#include "server/net/spare_buffers.hpp"
#include "server/net/stream_traits.hpp"

namespace blynk::net {

template <class Stream, class Protocol>
class FramedSession final : public hub::SessionLink,
                            private DeadlineWheel::Entry,
                            private FlushBatch::Target,
                            private LiveConnections::Member,
                            public std::enable_shared_from_this<FramedSession<Stream, Protocol>> {
public:
    /// `peer` is "address:port" of the client (its address alone is peer_address()).
    FramedSession(Stream stream, hub::UserExecutor strand,
                  const typename Protocol::Services& services, std::string peer,
                  const char* transport)
        : stream_(std::move(stream)),
          strand_(std::move(strand)),
          services_(services),
          conn_(*this, services.options),
          peer_(std::move(peer)),
          transport_(transport),
          counted_(kTraffic, hub::transport_of(transport)) {}

    ~FramedSession() { services_.deadlines.cancel(*this); }

    /// The protocol state, for what the transport learnt before the session starts (the web
    /// console's cookie on a /dashws upgrade).
    typename Protocol::Connection& connection() { return conn_; }

    /// Starts the session with bytes that were already read while detecting the protocol, and
    /// its place in the per-address cap on unfinished connections (held until the login).
    void start(std::string_view already_read = {}, AddressLimiter::Slot prelogin = {}) {
        spdlog::info("connect: {}", repr());
        this->join_live_connections(this->shared_from_this());
        prelogin_ = std::move(prelogin);
        if constexpr (Traits::kWaitRead) {
            boost::system::error_code ignored;
            // on_ready() reads and write_now() writes without blocking
            lowest().non_blocking(true, ignored);
        }
        in_.assign(already_read.begin(), already_read.end());
        in_len_ = in_.size();
        last_read_ = Clock::now();
        deadline_ = last_read_ + services_.limits.login_timeout;
        boost::asio::post(strand_, [self = this->shared_from_this()] {
            self->schedule_deadline();
            self->process();
        });
    }

    // ---- hub::Peer ----
    void send(uint8_t command, uint16_t id, std::string_view body) override {
        if (closing_) return;
        if (out_pending_.empty()) SpareBuffers::take(out_pending_);
        proto::encode(out_pending_, Protocol::kLayout, command, Protocol::wire_id(id), body);
        hub::count_sent(kTraffic, command);
        after_queue();
    }

    void send_response(uint16_t id, uint16_t status) override {
        if (closing_) return;
        if (out_pending_.empty()) SpareBuffers::take(out_pending_);
        proto::encode_response(out_pending_, Protocol::kLayout, Protocol::wire_id(id), status);
        hub::count_sent(kTraffic, proto::cmd::kResponse);
        after_queue();
    }

    void close(std::string_view reason) override {
        if (closing_) return;
        closing_ = true;
        services_.deadlines.cancel(*this);
        boost::system::error_code ignored;
        auto& socket = boost::beast::get_lowest_layer(stream_);
        socket.shutdown(Socket::shutdown_both, ignored);
        socket.close(ignored);
        // Leaving the hub is posted, never done inline: close() may be called from inside a
        // loop over the user's connections (a relay that overflows this session's queue).
        boost::asio::post(strand_, [self = this->shared_from_this(), why = std::string(reason)] {
            self->teardown(why);
        });
    }

    void close_after_writes(std::string_view reason) override {
        if (closing_ || finishing_) return;
        finishing_ = true;
        finish_reason_ = reason;
        if (out_pending_.empty() && !writing_) close(finish_reason_);
    }

    std::string repr() const override {
        return fmt::format("{} {} {}{}{}", Protocol::kName, transport_, peer_,
                           identity_.empty() ? "" : " ", identity_);
    }

    hub::PeerKind kind() const override { return Protocol::kKind; }

    // ---- hub::SessionLink ----
    void set_idle_timeout(std::chrono::seconds timeout) override {
        absolute_deadline_ = false;  // the login deadline gives way to the idle timeout
        idle_timeout_ = timeout;
        schedule_deadline();
    }

    void rebind(hub::UserExecutor executor, std::function<void()> then) override {
        // Carried out by process() once it is done with the read buffer, or by on_write() when
        // a write is still in flight: nothing may run on the old strand after the switch.
        suspended_ = true;
        pending_rebind_ = std::make_unique<PendingRebind>(std::move(executor), std::move(then));
    }

    void logged_in(std::string identity) override {
        identity_ = std::move(identity);
        prelogin_.release();
    }

    void pause_reading() override { paused_ = true; }

    void resume_reading() override {
        if (!paused_) return;
        paused_ = false;
        // Posted: the caller may be inside a loop over the user's sessions.
        boost::asio::post(strand_, [self = this->shared_from_this()] {
            if (!self->closing_ && !self->suspended_ && !self->paused_) self->process();
        });
    }

    std::string local_address() override {
        boost::system::error_code ec;
        auto endpoint = lowest().local_endpoint(ec);
        if (ec) return {};
        auto address = endpoint.address();
        // A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d.
        if (address.is_v6() && address.to_v6().is_v4_mapped())
            return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6())
                .to_string();
        return address.to_string();
    }

    std::shared_ptr<void> keep_alive() override { return this->shared_from_this(); }

    void post(std::function<void()> fn) override {
        boost::asio::post(strand_, [self = this->shared_from_this(), fn = std::move(fn)] {
            try {
                fn();
            } catch (const std::exception& e) {
                self->fail("internal error", e);
            }
        });
    }

    std::string_view peer_address() const override {
        // peer_ is "address:port"; an IPv6 address has colons of its own, the port never.
        return std::string_view(peer_).substr(0, peer_.rfind(':'));
    }

private:
    using Clock = std::chrono::steady_clock;
    using Traits = StreamTraits<Stream>;
    static constexpr hub::Traffic kTraffic =
        Protocol::kKind == hub::PeerKind::Hardware ? hub::Traffic::Hardware : hub::Traffic::App;
    static constexpr bool kMessageDelimited = Protocol::kLayout == proto::Layout::WebApp;
    static_assert(!kMessageDelimited || Traits::kMessagePerFrame,
                  "a message-delimited layout needs a message stream (WebSocket)");

    auto& lowest() { return boost::beast::get_lowest_layer(stream_); }
    static constexpr size_t kMinReadSpace = 512;
    static constexpr size_t kKeepBufferBytes = 4096;

    struct PendingRebind {
        hub::UserExecutor executor;
        std::function<void()> then;
    };

    /// WebSocket only: the ends of the queued frames, each written as one message.
    struct FrameEnds {
        std::vector<size_t> pending;   ///< of out_pending_
        std::vector<size_t> inflight;  ///< of out_inflight_
        size_t next = 0;               ///< the frame being written
    };
    struct NoFrameEnds {};

    void do_rebind() {
        auto [executor, then] = std::move(*pending_rebind_);
        pending_rebind_.reset();
        // The wheel reads strand_ when it reports the deadline: take the entry out first. A
        // report already queued on the old strand finds itself off strand_ and does nothing.
        services_.deadlines.cancel(*this);
        strand_ = std::move(executor);
        boost::asio::post(strand_, [self = this->shared_from_this(), then = std::move(then)] {
            if (self->closing_) return;
            try {
                then();
            } catch (const std::exception& e) {
                return self->fail("internal error while logging in", e);
            }
            self->suspended_ = false;
            self->schedule_deadline();
            if (!self->paused_) self->process();
        });
    }

    void read_more() {
        if (closing_ || suspended_ || paused_ || finishing_ || reading_) return;
        if constexpr (Traits::kWaitRead) {
            if (in_len_ == 0) {
                if (!Traits::has_buffered_input(stream_))
                    return wait_until_ready(Socket::wait_read);
                // Input is waiting inside the stream (OpenSSL read ahead): the socket may never
                // become readable for it. Posted, so that other sessions get their turn.
                reading_ = true;
                boost::asio::post(strand_, [self = this->shared_from_this()] {
                    self->on_ready(boost::system::error_code{});
                });
                return;
            }
        }
        reading_ = true;
        if (in_.size() - in_len_ < kMinReadSpace) in_.resize(in_len_ + 2 * kMinReadSpace);
        stream_.async_read_some(
            boost::asio::buffer(in_.data() + in_len_, in_.size() - in_len_),
            boost::asio::bind_executor(
                strand_, [self = this->shared_from_this()](boost::system::error_code ec, size_t n) {
                    self->on_read(ec, n);
                }));
    }

    void read_failed(boost::system::error_code ec) {
        // A TLS peer that just drops the TCP connection (no close_notify) has closed too.
        const bool peer_closed =
            ec == boost::asio::error::eof || ec == boost::asio::ssl::error::stream_truncated;
        if (!closing_) close(peer_closed ? "closed by peer" : "read error: " + ec.message());
    }

    /// Larger than a TLS record (16 KiB of plaintext), which read_now() needs.
    static std::vector<uint8_t>& scratch_buffer() {
        thread_local std::vector<uint8_t> scratch(65536 + proto::header_size(proto::Layout::App));
        return scratch;
    }

    /// Idle sessions hold no read buffer: they wait until the socket is ready, then read into the
    /// thread's scratch buffer (design principle 8).
    void wait_until_ready(Socket::wait_type wait) {
        reading_ = true;
        lowest().async_wait(
            wait, boost::asio::bind_executor(
                      strand_, [self = this->shared_from_this()](boost::system::error_code ec) {
                          self->on_ready(ec);
                      }));
    }

    void on_ready(boost::system::error_code ec) {
        reading_ = false;
        if (ec) return read_failed(ec);
        if (closing_) return;
        auto& scratch = scratch_buffer();
        boost::system::error_code read_ec;
        Socket::wait_type wait = Socket::wait_read;
        const size_t n = Traits::read_now(stream_, boost::asio::buffer(scratch), wait, read_ec);
        if (read_ec == boost::asio::error::would_block) return wait_until_ready(wait);
        if (read_ec) return read_failed(read_ec);
        last_read_ = Clock::now();
        const size_t used = dispatch_frames(std::span<const uint8_t>(scratch.data(), n));
        if (closing_) return;
        // Only an incomplete frame (or frames waiting for a login to finish) is kept.
        in_.assign(scratch.begin() + static_cast<std::ptrdiff_t>(used),
                   scratch.begin() + static_cast<std::ptrdiff_t>(n));
        in_len_ = in_.size();
        after_dispatch();
    }

    void on_read(boost::system::error_code ec, size_t n) {
        reading_ = false;
        if (ec) return read_failed(ec);
        last_read_ = Clock::now();
        if (Traits::discard_read(stream_)) {  // a WebSocket text message: not Blynk
            read_more();
            return;
        }
        in_len_ += n;
        if constexpr (kMessageDelimited) message_complete_ = Traits::message_done(stream_);
        process();
    }

    /// Dispatches every complete frame in the buffer, then reads more.
    void process() {
        const size_t used = dispatch_frames(std::span<const uint8_t>(in_.data(), in_len_));
        if (closing_) return;
        if (used > 0) {
            std::copy(in_.begin() + static_cast<std::ptrdiff_t>(used),
                      in_.begin() + static_cast<std::ptrdiff_t>(in_len_), in_.begin());
            in_len_ -= used;
        }
        // Idle connections keep no large buffer (none at all where the scratch buffer serves).
        const size_t keep = Traits::kWaitRead ? 0 : kKeepBufferBytes;
        if (in_len_ == 0 && in_.capacity() > keep) std::vector<uint8_t>().swap(in_);
        after_dispatch();
    }

    void after_dispatch() {
        if (pending_rebind_) {
            if (!writing_) do_rebind();
            return;
        }
        read_more();
    }

    /// Decodes and dispatches complete frames from `data`; returns the bytes consumed. Stops at
    /// an incomplete frame, a close, or a login that pauses the session or moves it to another
    /// strand.
    size_t dispatch_frames(std::span<const uint8_t> data) {
        const FlushBatch::Scope batch;  // frames the handlers queue go out once, after the loop
        size_t offset = 0;
        while (!closing_ && !suspended_ && !paused_) {
            // A message-delimited layout (/dashws) holds one frame per WebSocket message.
            if constexpr (kMessageDelimited) {
                if (!message_complete_) break;
                message_complete_ = false;
            }
            proto::DecodeLimits decode_limits{
                Protocol::kLayout,
                conn_.logged_in() ? services_.limits.max_body : services_.limits.prelogin_max_body};
            auto r = proto::decode(data.subspan(offset), decode_limits);
            if (r.kind == proto::DecodeResult::Kind::NeedMore) break;
            if (r.kind == proto::DecodeResult::Kind::Error) {
                if (r.error == proto::DecodeError::BodyTooLarge) {
                    close(fmt::format("frame body of {} bytes over the limit of {}",
                                      r.declared_length, decode_limits.max_body));
                } else if (r.error == proto::DecodeError::InvalidCommand) {
                    close(fmt::format("invalid command byte {}", data[offset]));
                } else {
                    close(std::string(proto::describe(r.error)));
                }
                return offset;
            }
            offset += r.consumed;
            try {
                services_.dispatcher.on_frame(conn_, r.frame, last_read_);
            } catch (const std::exception& e) {
                fail(fmt::format("internal error while handling {}",
                                 proto::command_name(r.frame.command)),
                     e);
            }
        }
        return offset;
    }

    void after_queue() {
        if constexpr (Traits::kMessagePerFrame) frames_.pending.push_back(out_pending_.size());
        if (out_pending_.size() > services_.limits.max_write_queue) {
            hub::count_slow_reader(kTraffic);
            close(fmt::format("write queue over {} bytes: peer reads too slowly",
                              services_.limits.max_write_queue));
            return;
        }
        if (FlushBatch::active()) {
            if (!flush_deferred_) {
                flush_deferred_ = true;
                // Aliasing: the base is private, so shared_ptr cannot convert on its own.
                FlushBatch::defer(std::shared_ptr<FlushBatch::Target>(
                    this->shared_from_this(), static_cast<FlushBatch::Target*>(this)));
            }
            return;
        }
        flush_writes();
    }

    void flush_deferred() override {
        flush_deferred_ = false;
        flush_writes();
    }

    void flush_writes() {
        if (writing_ || out_pending_.empty() || closing_) return;
        if constexpr (Traits::kWriteNow) {
            if (!write_now()) {
                if (finishing_ && out_pending_.empty()) close(finish_reason_);
                return;
            }
        }
        std::swap(out_inflight_, out_pending_);
        if constexpr (Traits::kMessagePerFrame) {
            std::swap(frames_.inflight, frames_.pending);
            frames_.next = 0;
        }
        writing_ = true;
        write_inflight();
    }

    /// Writes what the socket takes at once; true when a rest is left for an asynchronous write.
    /// Most writes fit the socket buffer: no asynchronous operation, no completion to run.
    bool write_now() {
        boost::system::error_code ec;
        const size_t n = Traits::write_now(stream_, boost::asio::buffer(out_pending_), ec);
        if (ec == boost::asio::error::would_block || ec == boost::asio::error::try_again) {
            return true;
        }
        if (ec) {
            close("write error: " + ec.message());
            return false;
        }
        if (n < out_pending_.size()) {
            out_pending_.erase(0, n);
            return true;
        }
        // Written: the buffer goes to the thread's spares (the next flush on this thread reuses
        // it), and an idle session holds none.
        SpareBuffers::give(out_pending_);
        return false;
    }

    /// Byte streams: everything queued in one write. WebSocket: the next frame as one message.
    void write_inflight() {
        boost::asio::const_buffer bytes = boost::asio::buffer(out_inflight_);
        if constexpr (Traits::kMessagePerFrame) {
            const size_t begin = frames_.next ? frames_.inflight[frames_.next - 1] : 0;
            bytes = boost::asio::buffer(out_inflight_.data() + begin,
                                        frames_.inflight[frames_.next] - begin);
        }
        Traits::write(stream_, bytes,
                      boost::asio::bind_executor(strand_, [self = this->shared_from_this()](
                                                              boost::system::error_code ec,
                                                              size_t) { self->on_write(ec); }));
    }

    void on_write(boost::system::error_code ec) {
        if constexpr (Traits::kMessagePerFrame) {
            if (!ec && ++frames_.next < frames_.inflight.size()) {
                write_inflight();
                return;
            }
            frames_.inflight.clear();
        }
        writing_ = false;
        // Written: the buffers go to the thread's spares, so that idle sessions hold none and
        // the next flush on this thread does not allocate.
        SpareBuffers::give(out_inflight_);
        if (out_pending_.empty()) SpareBuffers::give(out_pending_);
        if (ec) {
            if (!closing_) close("write error: " + ec.message());
            return;
        }
        if (!out_pending_.empty()) {
            flush_writes();
        } else if (finishing_) {
            close(finish_reason_);
        } else if (pending_rebind_) {
            do_rebind();
        }
    }

    void schedule_deadline() {
        if (closing_) return;
        if (absolute_deadline_) {
            services_.deadlines.schedule(*this, deadline_);
        } else if (idle_timeout_.count() > 0) {
            services_.deadlines.schedule(*this, last_read_ + idle_timeout_);
        } else {
            services_.deadlines.cancel(*this);
        }
    }

    // ---- DeadlineWheel::Entry ----
    void deadline_reached() override {
        // On the wheel's thread, wheel locked: strand_ cannot change now (do_rebind cancels the
        // entry before it switches strands) and the session is not destroyed under us (its
        // destructor cancels first; once it has begun, lock() fails).
        if (auto self = this->weak_from_this().lock())
            boost::asio::post(strand_, [self = std::move(self)] { self->check_deadline(); });
    }

    /// The deadline was reported due; traffic may have moved it since (idle timeouts).
    void check_deadline() {
        if (closing_ || !strand_.running_in_this_thread()) return;  // rebound meanwhile
        const auto now = Clock::now();
        if (absolute_deadline_) {
            if (now >= deadline_) {
                close(fmt::format("no login within {} s", services_.limits.login_timeout.count()));
                return;
            }
        } else if (idle_timeout_.count() > 0 && now >= last_read_ + idle_timeout_) {
            close(fmt::format("idle for {} s", idle_timeout_.count()));
            return;
        }
        schedule_deadline();
    }

    /// A handler threw: this session closes, with an error line; the others go on.
    void fail(std::string_view what, const std::exception& e) {
        close_level_ = spdlog::level::err;
        close(fmt::format("{}: {}", what, e.what()));
    }

    // ---- LiveConnections::Member ----
    LiveConnections::Stage close_for_shutdown() override {
        const auto stage = conn_.logged_in() ? LiveConnections::Stage::Session
                                             : LiveConnections::Stage::Unfinished;
        close_level_ = spdlog::level::debug;  // the server logs one summary line
        close("server stopping");
        return stage;
    }

    /// Runs once: leaves the hub and writes the disconnect line.
    void teardown(std::string_view reason) {
        if (torn_down_) return;
        torn_down_ = true;
        // A client that never logged in (a scanner, a misbehaving board) can cause these lines
        // at will: they are rate-limited; a logged-in session's line always appears.
        const bool logged_in = conn_.logged_in();
        conn_.on_closed();
        if (logged_in || close_level_ >= spdlog::level::warn) {
            spdlog::log(close_level_, "disconnect: {}: {}", repr(), reason);
        } else {
            logging::peer_log(logging::PeerLine::Disconnect, close_level_, "disconnect: {}: {}",
                              repr(), reason);
        }
    }

    Stream stream_;
    hub::UserExecutor strand_;
    const typename Protocol::Services& services_;
    typename Protocol::Connection conn_;
    std::string peer_;
    const char* transport_;  // "tcp", "tls", "ws" or "wss"
    std::string identity_;

    std::vector<uint8_t> in_;
    size_t in_len_ = 0;
    std::string out_pending_;
    std::string out_inflight_;
    [[no_unique_address]] std::conditional_t<Traits::kMessagePerFrame, FrameEnds, NoFrameEnds>
        frames_;
    bool reading_ = false;
    bool writing_ = false;
    bool suspended_ = false;  ///< a rebind is pending
    bool paused_ = false;     ///< pause_reading(): e.g. a login waiting for its password check
    bool message_complete_ = false;   ///< message-delimited layouts: in_ holds a whole message
    bool finishing_ = false;          ///< close_after_writes(): close once the queue is written
    hub::CountedConnection counted_;  // 2 bytes: here it fills padding, not a new word
    std::string finish_reason_;
    bool closing_ = false;
    bool torn_down_ = false;
    spdlog::level::level_enum close_level_ = spdlog::level::info;  ///< of the disconnect line
    bool flush_deferred_ = false;                                  ///< in this thread's FlushBatch
    bool absolute_deadline_ = true;  ///< the login deadline, until an idle timeout is set
    std::unique_ptr<PendingRebind> pending_rebind_;
    AddressLimiter::Slot prelogin_;

    Clock::time_point last_read_;
    Clock::time_point deadline_;  ///< login deadline while absolute_deadline_
    std::chrono::seconds idle_timeout_{0};
};

}  // namespace blynk::net

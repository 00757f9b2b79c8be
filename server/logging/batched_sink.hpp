#pragma once
// The log's one sink: formats lines into a buffer and writes the buffer with one write(2) when
// there is nothing more to come (the logger's queue ran empty), when it holds 64 KiB, or at once
// for warnings and errors. A quiet server's lines appear as they happen; under a flood the writer
// thread makes one system call per batch, not one per line.

#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include <spdlog/sinks/base_sink.h>

namespace blynk::logging {

class BatchedSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    using Write = std::function<void(std::string_view)>;
    using Idle = std::function<bool()>;

    static constexpr size_t kBatchBytes = 64 * 1024;

    /// `write` takes a batch (stderr in the server); `idle` says whether no line is waiting to be
    /// formatted.
    BatchedSink(Write write, Idle idle) : write_(std::move(write)), idle_(std::move(idle)) {}
    /// The logger's last lines may still be here (its queue held the writer thread's stop
    /// message when they were formatted).
    ~BatchedSink() override { flush_(); }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t line;
        formatter_->format(msg, line);
        batch_.append(line.data(), line.size());
        if (msg.level >= spdlog::level::warn || batch_.size() >= kBatchBytes || idle_()) flush_();
    }

    void flush_() override {
        if (batch_.empty()) return;
        write_(batch_);
        batch_.clear();
    }

private:
    Write write_;
    Idle idle_;
    std::string batch_;
};

}  // namespace blynk::logging

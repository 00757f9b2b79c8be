#pragma once
// The process's logger: asynchronous, so that no I/O thread waits for stderr. Lines go to a
// bounded queue (async.logger.ring.buffer.size lines; when it is full the oldest line is dropped
// and counted) and one writer thread writes them in batches (batched_sink.hpp). Warnings and
// errors are written at once, everything else at the latest within a second.

#include <cstddef>
#include <string>

namespace blynk::logging {

enum class Mode {
    Asynchronous,  ///< the server
    Synchronous,   ///< one-shot commands, whose own messages on stderr follow their log lines
};

/// Makes the default logger ("blynkd") at `level`; asynchronous with a queue of `queue_lines`.
void setup(const std::string& level, Mode mode, size_t queue_lines);
/// Writes what is queued and stops the writer thread: at exit and on fatal paths.
void shutdown();
/// Lines dropped because the queue was full, since the last call.
size_t take_dropped_lines();

}  // namespace blynk::logging

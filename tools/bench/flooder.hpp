#pragma once
// A flood from many logged-in device connections at full speed: each connection writes a
// prepared run of HARDWARE pin writes over and over, as fast as its socket takes them, and
// reads and discards whatever the server answers. One thread, one epoll.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace blynk::bench {

class Flooder {
public:
    /// `fds`: logged-in plain device connections, non-blocking (owned by the caller).
    explicit Flooder(std::vector<int> fds);
    ~Flooder();
    Flooder(const Flooder&) = delete;
    Flooder& operator=(const Flooder&) = delete;

    void start();
    void stop();
    /// After stop(): frames written (counted in bytes: a partly written frame counts as a
    /// fraction), and connections the server closed meanwhile.
    uint64_t frames() const { return bytes_ / frame_size_; }
    size_t closed() const { return closed_; }
    double seconds() const { return seconds_; }

private:
    void loop();

    std::vector<int> fds_;
    size_t frame_size_ = 1;  ///< every frame of the run has the same size
    std::string run_;        ///< the frames each connection repeats
    std::atomic<bool> stop_{false};
    std::thread thread_;
    uint64_t bytes_ = 0;
    size_t closed_ = 0;
    double seconds_ = 0;
};

}  // namespace blynk::bench

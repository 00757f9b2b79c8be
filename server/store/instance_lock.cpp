#include "server/store/instance_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <utility>

namespace blynk::store {

std::filesystem::path InstanceLock::path(const std::filesystem::path& data_dir) {
    return data_dir / "blynkd.lock";
}

std::optional<InstanceLock> InstanceLock::try_acquire(const std::filesystem::path& data_dir,
                                                      std::string_view role) {
    const auto file = path(data_dir);
    // Never truncated on open: the holder's pid must stay readable for the one refused.
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw std::runtime_error("cannot open lock file " + file.string() + ": " +
                                 std::strerror(errno));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        ::close(fd);
        if (error == EWOULDBLOCK) return std::nullopt;
        throw std::runtime_error("cannot lock " + file.string() + ": " + std::strerror(error));
    }
    const std::string owner = std::to_string(::getpid()) + " " + std::string(role) + "\n";
    // The pid is only for messages: a failed write leaves the lock itself intact.
    if (::ftruncate(fd, 0) == 0) {
        [[maybe_unused]] const ssize_t written = ::pwrite(fd, owner.data(), owner.size(), 0);
    }
    return InstanceLock(fd);
}

InstanceLock InstanceLock::acquire(const std::filesystem::path& data_dir, std::string_view role,
                                   std::string_view advice) {
    if (auto lock = try_acquire(data_dir, role)) return std::move(*lock);
    throw std::runtime_error("data folder " + data_dir.string() + " is in use by another blynkd (" +
                             holder(data_dir) + "); " + std::string(advice));
}

InstanceLock InstanceLock::for_server(const std::filesystem::path& data_dir) {
    return acquire(data_dir, "server",
                   "only one server can use a data folder: stop the other one, or give this one "
                   "its own --data-dir");
}

std::string InstanceLock::holder(const std::filesystem::path& data_dir) {
    std::ifstream in(path(data_dir));
    std::string pid;
    std::string role;
    if (!(in >> pid >> role)) return "unknown";
    return "pid " + pid + ", " + role;
}

InstanceLock::~InstanceLock() {
    if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

InstanceLock::InstanceLock(InstanceLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

InstanceLock& InstanceLock::operator=(InstanceLock&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

}  // namespace blynk::store

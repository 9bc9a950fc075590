#include "temp_output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "exit_codes.h"
#include "fd_stream.h"
#include "signals.h"

namespace nzip::cli {
namespace {

std::string dir_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string base_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

mode_t default_mode() {
  mode_t mask = umask(0);
  umask(mask);
  return static_cast<mode_t>(0666 & ~mask);
}

void sync_dir(const std::string& dir) {
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return;
  ::fsync(dfd);  // best effort: some file systems refuse fsync on directories
  ::close(dfd);
}

}  // namespace

TempOutput::TempOutput(const std::string& dest) : dest_(dest) {
  std::string tmpl = dir_of(dest) + "/." + base_of(dest) + ".XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  std::lock_guard<std::mutex> lock(cleanup_mutex());
  int fd = ::mkostemp(buf.data(), O_CLOEXEC);
  if (fd < 0) throw_errno(("cannot create a temporary file in " + dir_of(dest)).c_str());
  fd_ = fd;
  temp_path_ = buf.data();
  add_cleanup_path_locked(temp_path_);
}

TempOutput::~TempOutput() { discard(); }

void TempOutput::discard() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (!committed_ && !temp_path_.empty()) {
    std::lock_guard<std::mutex> lock(cleanup_mutex());
    ::unlink(temp_path_.c_str());
    remove_cleanup_path_locked(temp_path_);
    temp_path_.clear();
  }
}

void TempOutput::commit(const struct stat* like, bool overwrite) {
  if (like != nullptr) {
    // Owner first: chown may clear set-id bits that chmod then restores. Failing to keep the
    // owner (not root) is normal and not an error, like gzip.
    if (::fchown(fd_, like->st_uid, like->st_gid) != 0) {
      if (::fchown(fd_, static_cast<uid_t>(-1), like->st_gid) != 0) {
        // keep our own group
      }
    }
    if (::fchmod(fd_, like->st_mode & 07777) != 0) throw_errno("cannot set permissions");
    struct timespec times[2] = {like->st_atim, like->st_mtim};
    if (::futimens(fd_, times) != 0) throw_errno("cannot set times");
  } else if (::fchmod(fd_, default_mode()) != 0) {
    throw_errno("cannot set permissions");
  }
  if (::fsync(fd_) != 0) throw_errno("fsync failed");
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) throw_errno("close failed");

  {
    std::lock_guard<std::mutex> lock(cleanup_mutex());
    int rc = 0;
    if (overwrite) {
      rc = ::rename(temp_path_.c_str(), dest_.c_str());
    } else {
      rc = ::renameat2(AT_FDCWD, temp_path_.c_str(), AT_FDCWD, dest_.c_str(), RENAME_NOREPLACE);
      if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
        // File system without RENAME_NOREPLACE: check, then rename (a small race remains).
        struct stat st {};
        if (::lstat(dest_.c_str(), &st) == 0) {
          errno = EEXIST;
        } else {
          rc = ::rename(temp_path_.c_str(), dest_.c_str());
        }
      }
    }
    if (rc != 0) {
      if (errno == EEXIST) throw CliError(kExitUsage, dest_ + " already exists; use -f to overwrite");
      throw_errno(("cannot rename to " + dest_).c_str());
    }
    committed_ = true;
    remove_cleanup_path_locked(temp_path_);
  }
  sync_dir(dir_of(dest_));
}

}  // namespace nzip::cli

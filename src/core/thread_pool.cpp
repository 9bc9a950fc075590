#include "core/thread_pool.h"

#include <algorithm>

namespace nzip::core {

unsigned resolve_threads(unsigned requested) noexcept {
  unsigned n = requested;
  if (n == 0) n = std::thread::hardware_concurrency();
  return std::clamp(n, 1u, kMaxThreads);
}

ThreadPool::ThreadPool(unsigned threads) {
  unsigned n = std::max(threads, 1u);
  workers_.reserve(n);
  for (unsigned i = 0; i < n; ++i) workers_.emplace_back([this] { work(); });
}

ThreadPool::~ThreadPool() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    dropped.swap(queue_);
  }
  ready_.notify_all();
  for (auto& t : workers_) t.join();
  // `dropped` dies here, outside the lock: its packaged_tasks break their promises.
}

void ThreadPool::enqueue(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
  }
  ready_.notify_one();
}

void ThreadPool::work() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job();  // a packaged_task: exceptions land in its future
  }
}

}  // namespace nzip::core

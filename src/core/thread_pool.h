// core/thread_pool.h — a fixed set of worker threads running submitted tasks in FIFO order.
//
// Results come back through std::future, so the caller decides the order in which it
// consumes them (nzip writes chunks in input order whatever order they finish in).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace nzip::core {

// Most worker threads nzip starts, whatever is asked for.
constexpr unsigned kMaxThreads = 256;

// The thread count to use for a request: 0 → std::thread::hardware_concurrency() (1 if
// unknown); clamped to [1, kMaxThreads].
unsigned resolve_threads(unsigned requested) noexcept;

class ThreadPool {
 public:
  // Starts `threads` workers (at least 1).
  explicit ThreadPool(unsigned threads);
  // Waits for running tasks; tasks still queued are dropped (their futures report
  // broken_promise).
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  unsigned size() const noexcept { return static_cast<unsigned>(workers_.size()); }

  // Queues `f`; its result or exception arrives through the returned future.
  template <class F>
  auto submit(F f) -> std::future<std::invoke_result_t<F&>> {
    using R = std::invoke_result_t<F&>;
    auto task = std::make_shared<std::packaged_task<R()>>(std::move(f));
    std::future<R> result = task->get_future();
    enqueue([task] { (*task)(); });
    return result;
  }

 private:
  void enqueue(std::function<void()> job);
  void work();

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace nzip::core

// train/parallel_for.h — runs body(i) for i in [0, n) on `threads` std::threads, each taking
// a contiguous, fixed range of indices (so which thread handles which item is a function of
// n and threads alone). The first exception thrown by a body is rethrown after all join.
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <thread>
#include <vector>

namespace nzip::train {

// body(worker, i): worker is the thread's index in [0, threads).
inline void parallel_for(size_t n, unsigned threads, const std::function<void(unsigned, size_t)>& body) {
  const unsigned t = static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(threads, n)));
  std::vector<std::exception_ptr> errors(t);
  auto run = [&](unsigned w) {
    try {
      for (size_t i = n * w / t; i < n * (w + 1) / t; ++i) body(w, i);
    } catch (...) {
      errors[w] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned w = 1; w < t; ++w) pool.emplace_back(run, w);
  run(0);
  for (auto& th : pool) th.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace nzip::train

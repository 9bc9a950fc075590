#include "train/evaluate.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "model/transformer.h"
#include "train/parallel_for.h"

namespace nzip::train {
namespace {

// Sum of per-chunk bits (in chunk order) / bytes; chunks restart at every file end.
template <class ChunkBits>
double chunked_bpb(std::span<const uint8_t> data, std::span<const size_t> ends, size_t chunk, unsigned threads,
                   ChunkBits bits_of) {
  if (data.empty() || chunk == 0) return 0;
  std::vector<std::pair<size_t, size_t>> pieces;  // (begin, length)
  size_t begin = 0;
  auto cut = [&](size_t end) {
    for (; begin < end; begin += std::min(chunk, end - begin)) pieces.emplace_back(begin, std::min(chunk, end - begin));
  };
  for (size_t e : ends) cut(std::min(e, data.size()));
  cut(data.size());
  std::vector<double> bits(pieces.size());
  parallel_for(pieces.size(), threads, [&](unsigned, size_t c) {
    bits[c] = bits_of(data.data() + pieces[c].first, pieces[c].second);
  });
  double total = 0;
  for (double b : bits) total += b;
  return total / static_cast<double>(data.size());
}

}  // namespace

double integer_bpb(const model::ModelFile& file, std::span<const uint8_t> data, std::span<const size_t> ends,
                   size_t chunk, unsigned threads) {
  const model::TransformerModel engine(file);
  return chunked_bpb(data, ends, chunk, threads, [&](const uint8_t* bytes, size_t n) {
    std::vector<uint16_t> freq(n * 256);
    engine.forward_sequence(bytes, n, freq.data());
    double bits = 0;
    for (size_t t = 0; t < n; ++t) bits += 16.0 - std::log2(static_cast<double>(freq[t * 256 + bytes[t]]));
    return bits;
  });
}

double float_bpb(const FloatTransformer& m, const ForwardParams& fp, std::span<const uint8_t> data,
                 std::span<const size_t> ends, size_t chunk, unsigned threads) {
  return chunked_bpb(data, ends, chunk, threads,
                     [&](const uint8_t* bytes, size_t n) { return m.sequence_loss(fp, bytes, n, 1.0f, nullptr); });
}

}  // namespace nzip::train

// codec/network_codec.h — chunks coded with a network model (Method::cm_network,
// Method::network and Method::cm_network_planned; docs/FORMAT.md "Methods 2, 3 and 5").
//
// The encoder knows every byte, so it runs the model teacher-forced over segments of the
// chunk (TransformerModel::forward_continue). The decoder learns each byte only after
// decoding it, so it steps the model one byte at a time — for many chunks at once: each
// chunk is a lane, and one step() advances all lanes, reading each weight once per step for
// all of them. Both paths give the same frequencies bit for bit (tests prove it), so a
// chunk decodes to the same bytes however it is grouped into lanes or threads.
#pragma once

#include <cstdint>
#include <exception>
#include <span>
#include <vector>

#include "codec/chunk_codec.h"
#include "model/transformer.h"

namespace nzip::codec {

// Positions per teacher-forced pass of the encoder: enough rows that the matrix products
// run at full speed (the kernel's tiles are 4 rows), few enough that the activations stay
// within the cache and the allocator's reuse: with 4096 rows a 2 M-parameter model's
// feed-forward products alone were a fresh 32 MiB per layer and pass, and zeroing and
// faulting them in took 60% of the encoder's time (bench/network_speed.sh).
inline constexpr size_t kNetworkSegment = 256;

// Codes `chunk` (non-empty) with a `method` that needs_network and context-mixing `level`;
// the planned methods (5, 6) code it with `plan` (plan_chunk of the chunk), the others
// ignore it. Returns the payload. With `give_up` it stops early and returns an unfinished
// stream longer than the chunk once coding cannot beat storing (the caller then stores the
// chunk).
std::vector<uint8_t> encode_network_chunk(const model::TransformerModel& model, std::span<const uint8_t> chunk,
                                          int level, Method method, const ChunkPlan& plan = {},
                                          bool give_up = true);

// One chunk for decode_network_lanes.
struct NetworkLane {
  Method method = Method::network;
  std::span<const uint8_t> payload;
  std::span<uint8_t> out;      // exactly the chunk's original size
  std::exception_ptr error;    // set when this chunk failed (nzip::Error corrupt, ...)
};

// Decodes every lane (any method that needs_network) in lockstep. A lane whose payload is
// inconsistent gets its `error` and drops out; the others go on. Never reads outside a
// payload. Memory: one model state and one predictor per lane, one frequency row per lane.
void decode_network_lanes(const model::TransformerModel& model, int level, std::span<NetworkLane> lanes);

}  // namespace nzip::codec

#include "train/trainer.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "nzip/error.h"
#include "nzip/nzip.h"
#include "train/evaluate.h"
#include "train/export.h"
#include "train/parallel_for.h"

namespace nzip::train {
namespace {

[[noreturn]] void bad(const std::string& what) { throw Error(ErrorCode::invalid_argument, "train: " + what); }

model::ModelArchitecture architecture_of(const TrainOptions& o) {
  model::ModelArchitecture a;
  a.d_model = o.d_model;
  a.layers = o.layers;
  a.heads = o.heads;
  a.ff = o.ff;
  a.window = o.window;
  a.vocab = 256;
  a.element_size = 1;
  return a;
}

size_t min_len_of(const TrainOptions& o) { return o.min_len ? o.min_len : std::max<size_t>(2, o.window / 2); }
size_t max_len_of(const TrainOptions& o) { return o.max_len ? o.max_len : std::max<size_t>(2, 2 * size_t{o.window}); }

// Ends of the files' ranges: `ends` made complete (covering size) and checked ascending.
std::vector<size_t> segment_ends(std::vector<size_t> ends, size_t size) {
  if (ends.empty() || ends.back() != size) ends.push_back(size);
  for (size_t i = 1; i < ends.size(); ++i)
    if (ends[i] <= ends[i - 1]) bad("file ranges must be ascending and non-empty");
  if (ends.back() > size) bad("file ranges end beyond the data");
  return ends;
}

size_t longest_segment(const std::vector<size_t>& ends) {
  size_t best = 0, begin = 0;
  for (size_t e : ends) {
    best = std::max(best, e - begin);
    begin = e;
  }
  return best;
}

// Checked (and threads resolved) before any member is built from the options.
TrainOptions checked(TrainOptions o, size_t train_bytes) {
  o.threads = resolve_threads(o.threads);
  if (o.batch == 0 || o.batch > 4096) bad("batch must be in [1, 4096]");
  if (o.threads > 256) bad("threads must be in [0, 256]");
  const size_t lo = min_len_of(o), hi = max_len_of(o);
  if (lo > hi || hi > (size_t{1} << 16)) bad("sequence lengths must satisfy 1 <= min <= max <= 65536");
  if (train_bytes < hi)
    bad("the longest file range of the training split has " + std::to_string(train_bytes) +
        " bytes, fewer than one sequence of " + std::to_string(hi));
  if (o.eval_chunk == 0 || o.eval_chunk > (size_t{1} << 20)) bad("eval chunk must be in [1, 2^20]");
  // Evaluation chunks restart at position 0, so they hold whole periods of the position table
  // (4096 is a multiple of every element size, not of a 148-byte record).
  if (o.element_period > 1) o.eval_chunk = std::max<size_t>(o.eval_chunk / o.element_period, 1) * o.element_period;
  if (o.eval_bytes == 0) bad("eval bytes must be at least 1");
  if (!(o.lr > 0) || !(o.min_lr >= 0) || !(o.weight_decay >= 0) || !(o.clip >= 0)) bad("learning rates, decay and clip must be >= 0");
  if (!(o.warmup >= 0 && o.warmup <= 1) || !(o.qat_from >= 0 && o.qat_from <= 1)) bad("warmup and qat_from are fractions in [0, 1]");
  if (o.steps == 0 && o.minutes <= 0) bad("give a budget: steps or minutes");
  return o;
}

}  // namespace

Trainer::Trainer(const TrainOptions& options, std::span<const uint8_t> train, std::span<const uint8_t> val,
                 std::vector<size_t> train_ends, std::vector<size_t> val_ends)
    : opt_(checked(options, longest_segment(segment_ends(train_ends, train.size())))), train_(train), val_(val),
      train_ends_(segment_ends(std::move(train_ends), train.size())),
      val_ends_(val.empty() ? std::vector<size_t>{} : segment_ends(std::move(val_ends), val.size())),
      min_len_(min_len_of(opt_)),
      max_len_(max_len_of(opt_)),
      model_(architecture_of(opt_), opt_.element_period, std::max(max_len_, opt_.eval_chunk)),
      params_(model_.init_params(opt_.seed)), thread_grads_(opt_.threads),
      adamw_(model_.layout(), {opt_.beta1, opt_.beta2, 1e-8f, opt_.weight_decay}),
      schedule_{opt_.lr, opt_.min_lr, opt_.warmup}, rng_(opt_.seed ^ 0x5EEDBA7C4E5ull) {}

double Trainer::step(double progress) {
  qat_ = progress >= opt_.qat_from;
  const ForwardParams fp = model_.prepare(params_, qat_);
  const size_t len = min_len_ + rng_.below(max_len_ - min_len_ + 1);
  const size_t period = opt_.element_period;
  // A start drawn uniformly over every position where a sequence fits inside one file's range.
  uint64_t room = 0;
  for (size_t i = 0, begin = 0; i < train_ends_.size(); begin = train_ends_[i++])
    if (train_ends_[i] - begin >= len) room += train_ends_[i] - begin - len + 1;
  std::vector<size_t> starts(opt_.batch);
  std::vector<uint32_t> phases(opt_.batch, 0);
  for (size_t k = 0; k < starts.size(); ++k) {
    size_t& s = starts[k];
    uint64_t r = rng_.below(room);
    for (size_t i = 0, begin = 0; i < train_ends_.size(); begin = train_ends_[i++]) {
      const size_t size = train_ends_[i] - begin;
      if (size < len) continue;
      if (r <= size - len) {
        s = begin + static_cast<size_t>(r);
        // Any start: the position table's rows follow the byte's place in its element or
        // record (file ranges start on whole periods, data_split.h). Starts aligned to the
        // period would never show the model a record's later bytes in context when the
        // period (a 148-byte record) is longer than a sequence.
        if (period) phases[k] = static_cast<uint32_t>((s - begin) % period);
        break;
      }
      r -= size - len + 1;
    }
  }
  const float weight = 1.0f / static_cast<float>(opt_.batch * len);
  std::vector<double> bits(opt_.batch);
  for (auto& g : thread_grads_) g.assign(params_.size(), 0.0f);
  parallel_for(opt_.batch, opt_.threads, [&](unsigned w, size_t b) {
    bits[b] = model_.sequence_loss(fp, train_.data() + starts[b], len, weight, thread_grads_[w].data(), phases[b]);
  });
  std::vector<float>& grads = thread_grads_[0];
  for (size_t w = 1; w < thread_grads_.size(); ++w)
    for (size_t i = 0; i < grads.size(); ++i) grads[i] += thread_grads_[w][i];
  clip_grad_norm(grads, opt_.clip);
  last_lr_ = schedule_.at(progress);
  adamw_.step(params_, grads, last_lr_);
  ++step_;
  last_len_ = len;
  double total = 0;
  for (double b : bits) total += b;
  return total / static_cast<double>(opt_.batch * len);
}

uint64_t Trainer::memory_estimate() const {
  const uint64_t p = params_.size(), d = opt_.d_model, ff = opt_.ff, L = opt_.layers;
  const uint64_t per_position = L * (12 * d + 8 * ff + uint64_t{opt_.heads} * opt_.window) + 2 * d + 3 * 256;
  const uint64_t floats = p * (4 + opt_.threads) + opt_.threads * max_len_ * per_position;
  return floats * sizeof(float) + (L * 10 * d + 6 * ff) * max_len_ * opt_.threads;  // + masks
}

Validation Trainer::validate(std::span<const uint8_t> data) const {
  Validation v;
  v.file = export_transformer(model_, params_);
  const auto part = data.first(std::min(data.size(), opt_.eval_bytes));
  v.bpb = integer_bpb(v.file, part, val_ends_, opt_.eval_chunk, opt_.threads);
  v.float_bpb = float_bpb(model_, model_.prepare(params_, true), part, val_ends_, opt_.eval_chunk, opt_.threads);
  return v;
}

TrainResult Trainer::run(const std::function<void(const TrainProgress&)>& progress, std::span<const uint8_t> test,
                         std::span<const size_t> test_ends) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const double budget_s = opt_.minutes * 60.0;
  TrainResult r;
  r.parameters = params_.size();
  auto elapsed = [&] { return elapsed_before_ + std::chrono::duration<double>(Clock::now() - start).count(); };
  // Progress once `steps` steps are done.
  auto progress_at = [&](size_t steps) {
    double p = opt_.steps ? static_cast<double>(steps) / static_cast<double>(opt_.steps) : 0.0;
    if (budget_s > 0) p = std::max(p, elapsed() / budget_s);
    return std::min(p, 1.0);
  };
  auto consider = [&](Validation v) {
    validated_step_ = step_;
    if (!best_ || v.bpb < best_->bpb - opt_.min_delta) {
      best_ = std::move(v);
      best_params_ = params_;
      best_step_ = step_;
      bad_validations_ = 0;
    } else {
      ++bad_validations_;
    }
  };
  auto checkpoint = [&] {
    if (opt_.checkpoint_path.empty()) return;
    // The file records the time spent so far, so a resumed --minutes budget continues.
    const double now = elapsed(), keep = elapsed_before_;
    elapsed_before_ = now;
    save_checkpoint(opt_.checkpoint_path);
    elapsed_before_ = keep;
  };
  const bool stopped_early = opt_.patience && bad_validations_ >= opt_.patience;
  while (!stopped_early) {
    if (progress_at(step_) >= 1.0) break;
    TrainProgress line;
    // The schedule at the end of this step: the first step has a learning rate above 0.
    line.train_bpb = step(progress_at(step_ + 1));
    trained_bytes_ += opt_.batch * last_len_;
    line.step = step_;
    line.progress = progress_at(step_);
    line.lr = last_lr_;
    line.qat = qat_;
    line.elapsed_s = elapsed();
    line.bytes_per_s = static_cast<double>(trained_bytes_) / std::max(line.elapsed_s, 1e-9);
    const bool last = line.progress >= 1.0;
    if (!val_.empty() && ((opt_.eval_every && step_ % opt_.eval_every == 0) || last)) {
      Validation v = validate(val_);
      line.val_bpb = v.bpb;
      line.val_float_bpb = v.float_bpb;
      consider(std::move(v));
    }
    if (opt_.checkpoint_every && step_ % opt_.checkpoint_every == 0) checkpoint();
    if (progress) progress(line);
    if (opt_.patience && bad_validations_ >= opt_.patience) {
      r.early_stopped = true;
      break;
    }
  }
  r.early_stopped = r.early_stopped || stopped_early;
  // The time budget can run out between a step and the check before the next one.
  if (!val_.empty() && validated_step_ != step_ && step_ > 0) consider(validate(val_));
  checkpoint();
  Validation final_model;
  const Validation* best = best_ ? &*best_ : nullptr;
  if (!best) {  // no validation split: the final weights
    final_model.file = export_transformer(model_, params_);
    best_params_ = params_;
    best_step_ = step_;
    best = &final_model;
  } else {
    r.val_bpb = best->bpb;
    r.val_float_bpb = best->float_bpb;
  }
  if (!test.empty()) {
    const auto part = test.first(std::min(test.size(), opt_.eval_bytes));
    r.test_bpb = integer_bpb(best->file, part, test_ends, opt_.eval_chunk, opt_.threads);
    r.test_float_bpb =
        float_bpb(model_, model_.prepare(best_params_, true), part, test_ends, opt_.eval_chunk, opt_.threads);
  }
  r.best_step = best_step_;
  r.steps = step_;
  r.seconds = elapsed();
  r.bytes_per_s = static_cast<double>(trained_bytes_) / std::max(r.seconds, 1e-9);
  r.model = model::serialize_model(best->file);
  return r;
}

}  // namespace nzip::train

// Placeholder; baselines land here.
namespace nzip::bench { int placeholder() { return 0; } }

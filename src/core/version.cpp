// Placeholder so the library has a source until the lifecycle lands.
namespace hull::core {
int version_marker() { return 1; }
}  // namespace hull::core

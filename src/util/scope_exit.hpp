// ScopeExit runs a callable when it leaves scope unless dismissed; used for
// the unwinding of multi-step setup (a failed create undoes what it did).
#pragma once

#include <utility>

namespace hull {

template <typename Fn>
class ScopeExit {
public:
    explicit ScopeExit(Fn fn) : fn_(std::move(fn)) {}
    ScopeExit(const ScopeExit&) = delete;
    ScopeExit& operator=(const ScopeExit&) = delete;
    ~ScopeExit() {
        if (active_) fn_();
    }
    void dismiss() noexcept { active_ = false; }

private:
    Fn fn_;
    bool active_ = true;
};

}  // namespace hull

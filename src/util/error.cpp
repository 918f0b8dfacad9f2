#include "util/error.hpp"

#include <cctype>
#include <cstring>

namespace hull {

const char* Error::what() const noexcept {
    if (what_.empty()) {
        what_ = errno_ != 0 ? message_ + ": " + std::strerror(errno_) : message_;
        // runc prints lower-case errno texts ("permission denied"); so do we,
        // because engines match on them (docs/engines.md "Errors").
        if (errno_ != 0) {
            auto tail = what_.size() - std::strlen(std::strerror(errno_));
            if (tail < what_.size()) {
                what_[tail] = static_cast<char>(std::tolower(static_cast<unsigned char>(what_[tail])));
            }
        }
    }
    return what_.c_str();
}

Error& Error::add_context(std::string_view context) {
    message_ = fmt::format("{}: {}", context, message_);
    what_.clear();
    return *this;
}

}  // namespace hull

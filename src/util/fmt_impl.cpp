// {fmt}'s compiled part, built once here instead of in every file.
//
// Debian ships {fmt} 9 as headers plus libfmt.so, and `hull` must not load
// one more shared library per container start (see meson.build). Defining
// FMT_HEADER_ONLY everywhere would avoid that too, but it compiles all of
// format-inl.h at -O2 into every file that includes <fmt/format.h>: about
// three quarters of the whole build's time. Here the non-inline definitions
// (FMT_FUNC) come from format-inl.h once, and the templates that format.h
// declares but leaves to the library are instantiated for what we use.
#include <fmt/format-inl.h>

#include <locale>

static_assert(FMT_VERSION >= 90000 && FMT_VERSION < 100000,
              "fmt_impl.cpp instantiates {fmt} 9's library templates; check them for this version");

FMT_BEGIN_NAMESPACE
namespace detail {

// Floating-point formatting (format.h declares to_decimal for both).
template auto dragonbox::to_decimal(float x) noexcept -> dragonbox::decimal_fp<float>;
template auto dragonbox::to_decimal(double x) noexcept -> dragonbox::decimal_fp<double>;

// Locale-aware formatting ("{:L}"): the locale_ref members are templates on
// the locale type, and format.h's `extern template`s name the separators.
template locale_ref::locale_ref(const std::locale& loc);
template auto locale_ref::get<std::locale>() const -> std::locale;
template auto thousands_sep_impl(locale_ref) -> thousands_sep_result<char>;
template auto decimal_point_impl(locale_ref) -> char;
template auto thousands_sep_impl(locale_ref) -> thousands_sep_result<wchar_t>;
template auto decimal_point_impl(locale_ref) -> wchar_t;

}  // namespace detail
FMT_END_NAMESPACE

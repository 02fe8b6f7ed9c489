// Stand-ins for std::invoke (<functional>) and std::min / std::max (<algorithm>). With libstdc++
// those two headers add about a third of a second to every translation unit that includes
// twofactor (<functional> brings <unordered_map> and <vector> for its searchers), for three
// small functions; benchmarks/compile_time.sh measures it.
#ifndef TWOFACTOR_DETAIL_UTILITY_HPP_INCLUDED
#define TWOFACTOR_DETAIL_UTILITY_HPP_INCLUDED

#include "../version.hpp"  // first: it checks for C++20

#include <type_traits>
#include <utility>

namespace twofactor::inline v1::detail {

template <class Member>
struct member_pointer_class;
template <class Type, class Class>
struct member_pointer_class<Type Class::*> {
    using type = Class;
};

// invoke() of a pointer to member.
template <class Member, class Object, class... Args>
constexpr decltype(auto) invoke_member(Member member, Object&& object, Args&&... args) noexcept(
    std::is_nothrow_invocable_v<Member, Object, Args...>) {
    constexpr bool on_object =
        std::is_base_of_v<typename member_pointer_class<Member>::type, std::remove_cvref_t<Object>>;
    if constexpr (std::is_member_function_pointer_v<Member>) {
        if constexpr (on_object) {
            return (std::forward<Object>(object).*member)(std::forward<Args>(args)...);
        } else {
            return ((*std::forward<Object>(object)).*member)(std::forward<Args>(args)...);
        }
    } else if constexpr (on_object) {
        return std::forward<Object>(object).*member;
    } else {
        return (*std::forward<Object>(object)).*member;
    }
}

/// std::invoke for function objects and for pointers to members, applied to an object of the
/// class (or derived) or to a pointer to one. (Not to a std::reference_wrapper.)
template <class F, class... Args>
constexpr decltype(auto) invoke(F&& f, Args&&... args) noexcept(std::is_nothrow_invocable_v<F, Args...>) {
    using member = std::remove_cvref_t<F>;
    if constexpr (std::is_member_pointer_v<member>) {
        return invoke_member(f, std::forward<Args>(args)...);
    } else {
        return std::forward<F>(f)(std::forward<Args>(args)...);
    }
}

/// The smaller of two values of one type (std::min without <algorithm>).
template <class T>
[[nodiscard]] constexpr T minimum(T a, T b) noexcept {
    return b < a ? b : a;
}

/// The larger of two values of one type (std::max without <algorithm>).
template <class T>
[[nodiscard]] constexpr T maximum(T a, T b) noexcept {
    return a < b ? b : a;
}

}  // namespace twofactor::inline v1::detail

#endif  // TWOFACTOR_DETAIL_UTILITY_HPP_INCLUDED

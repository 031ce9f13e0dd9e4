// Overload: the lambda-set visitor for std::visit over the command variant, shared by the
// command codec and the state machine.
#pragma once

namespace constellation::consensus {

/// `std::visit(Overload{[](const A&) {...}, [](const B&) {...}}, variant)`.
template <typename... F>
struct Overload : F... {
  using F::operator()...;
};
template <typename... F>
Overload(F...) -> Overload<F...>;

}  // namespace constellation::consensus

// The one place that includes Boost.Asio. Boost 1.74's asio/awaitable.hpp forgets
// <utility>, so it is included first here and every other file includes this header.
#pragma once

#include <utility>

#include <boost/asio.hpp>

namespace constellation {
namespace asio = boost::asio;
}

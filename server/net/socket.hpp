#pragma once
// The TCP socket and acceptor types of every connection. They are bound to the io_context's own
// executor instead of the type-erased any_io_executor: each socket and each pending operation
// is smaller (an idle connection is one socket and one pending wait), and completions skip the
// type erasure.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace blynk::net {

using Socket =
    boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;
using Acceptor = boost::asio::basic_socket_acceptor<boost::asio::ip::tcp,
                                                    boost::asio::io_context::executor_type>;

}  // namespace blynk::net

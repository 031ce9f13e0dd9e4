// The one include of Debian's libraft headers. They lack extern "C" guards, so C++ would
// otherwise mangle every raft_* name and fail to link.
#pragma once

#include <uv.h>

extern "C" {
#include <raft.h>
#include <raft/uv.h>
}

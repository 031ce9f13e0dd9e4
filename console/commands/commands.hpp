// The rows of the command table, one per file in this directory; registry.cpp orders them.
// Declared here so the registry is the only place that knows every command.
#pragma once

#include "console/command/command.hpp"

namespace constellation::console::commands {

extern const CommandSpec kVersion;
extern const CommandSpec kStatus;
extern const CommandSpec kConsole;
extern const CommandSpec kShell;
extern const CommandSpec kEvents;
extern const CommandSpec kNote;
extern const CommandSpec kReload;
extern const CommandSpec kMembers;
extern const CommandSpec kJoin;
extern const CommandSpec kLeave;
extern const CommandSpec kForceLeave;
extern const CommandSpec kRaftStatus;
extern const CommandSpec kRaftTransferLeader;
extern const CommandSpec kLeases;
extern const CommandSpec kLeaseShow;
extern const CommandSpec kCordon;
extern const CommandSpec kUncordon;
extern const CommandSpec kNodes;
extern const CommandSpec kNodeShow;
extern const CommandSpec kServices;
extern const CommandSpec kServiceShow;
extern const CommandSpec kKeygen;
extern const CommandSpec kContainers;
extern const CommandSpec kRestart;
extern const CommandSpec kConfigShow;
extern const CommandSpec kConfigCheck;
extern const CommandSpec kDoctor;
extern const CommandSpec kHelp;
extern const CommandSpec kAgent;
extern const CommandSpec kDemo;
extern const CommandSpec kComplete;
extern const CommandSpec kRaftRecover;

}  // namespace constellation::console::commands

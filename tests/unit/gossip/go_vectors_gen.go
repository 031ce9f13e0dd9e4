// Generates go_vectors.hpp: run inside a copy of Debian's memberlist 0.2.2 source
// (/usr/share/gocode/src/github.com/hashicorp/memberlist, other _test.go files removed) with
//   GOPATH=<copy>:/usr/share/gocode GO111MODULE=off go test -run TestZZVectors -v .
// It calls memberlist's unexported encoders, so it has to live in package memberlist.
package memberlist

import (
	"bytes"
	"compress/lzw"
	"encoding/hex"
	"fmt"
	"net"
	"testing"

	"github.com/hashicorp/go-msgpack/codec"
)

func TestZZVectors(t *testing.T) {
	lz := func(in []byte) string {
		var b bytes.Buffer
		w := lzw.NewWriter(&b, lzw.LSB, 8)
		w.Write(in)
		w.Close()
		return hex.EncodeToString(b.Bytes())
	}
	fmt.Printf("LZW_EMPTY %s\n", lz(nil))
	fmt.Printf("LZW_AAA %s\n", lz([]byte("aaa")))
	fmt.Printf("LZW_TOBE %s\n", lz([]byte("TOBEORNOTTOBEORTOBEORNOT")))
	big := make([]byte, 20000)
	x := uint32(1)
	for i := range big {
		x = x*1103515245 + 12345
		big[i] = byte(x>>16) % 7
	}
	fmt.Printf("LZW_BIG %s\n", lz(big))
	// memberlist's own compressed ping, compound and encryption
	p := ping{SeqNo: 42, Node: "node-b", SourceAddr: net.ParseIP("127.0.0.1").To4(), SourcePort: 7946, SourceNode: "node-a"}
	enc, _ := encode(pingMsg, &p)
	fmt.Printf("PING %s\n", hex.EncodeToString(enc.Bytes()))
	c, _ := compressPayload(enc.Bytes())
	fmt.Printf("PING_COMPRESSED %s\n", hex.EncodeToString(c.Bytes()))
	a := alive{Incarnation: 3, Node: "node-a", Addr: net.ParseIP("127.0.0.1").To4(), Port: 7946, Meta: []byte("role=x"), Vsn: []uint8{1, 5, 2, 2, 5, 5}}
	ae, _ := encode(aliveMsg, &a)
	ack := ackResp{SeqNo: 42, Payload: nil}
	acke, _ := encode(ackRespMsg, &ack)
	comp := makeCompoundMessage([][]byte{acke.Bytes(), ae.Bytes(), append([]byte{byte(userMsg)}, []byte("hello")...)})
	fmt.Printf("COMPOUND %s\n", hex.EncodeToString(comp.Bytes()))
	key := []byte("0123456789abcdef0123456789abcdef")
	var out bytes.Buffer
	encryptPayload(1, key, comp.Bytes(), nil, &out)
	fmt.Printf("ENCRYPTED_V1_KEY32 %s\n", hex.EncodeToString(out.Bytes()))
	var out0 bytes.Buffer
	encryptPayload(0, key[:16], enc.Bytes(), nil, &out0)
	fmt.Printf("ENCRYPTED_V0_KEY16 %s\n", hex.EncodeToString(out0.Bytes()))
	ip := indirectPingReq{SeqNo: 9, Target: net.ParseIP("127.0.0.2").To4(), Port: 7947, Node: "t", Nack: true}
	ipe, _ := encode(indirectPingMsg, &ip)
	fmt.Printf("INDIRECT %s\n", hex.EncodeToString(ipe.Bytes()))
	s := suspect{Incarnation: 2, Node: "node-c", From: "node-a"}
	se, _ := encode(suspectMsg, &s)
	fmt.Printf("SUSPECT %s\n", hex.EncodeToString(se.Bytes()))
	d := dead{Incarnation: 2, Node: "node-c", From: "node-c"}
	de, _ := encode(deadMsg, &d)
	fmt.Printf("DEAD %s\n", hex.EncodeToString(de.Bytes()))
	n := nackResp{SeqNo: 300}
	ne, _ := encode(nackRespMsg, &n)
	fmt.Printf("NACK %s\n", hex.EncodeToString(ne.Bytes()))
	e := errResp{Error: "boom"}
	ee, _ := encode(errMsg, &e)
	fmt.Printf("ERR %s\n", hex.EncodeToString(ee.Bytes()))
	// push/pull as Go's sendLocalState writes it (header, states, user state)
	var pp bytes.Buffer
	pp.WriteByte(byte(pushPullMsg))
	hd := pushPullHeader{Nodes: 1, UserStateLen: 3, Join: true}
	hd2 := codec.MsgpackHandle{}
	enc2 := codec.NewEncoder(&pp, &hd2)
	enc2.Encode(&hd)
	enc2.Encode(&pushNodeState{Name: "node-a", Addr: net.ParseIP("127.0.0.1").To4(), Port: 7946, Meta: []byte{}, Incarnation: 1, State: StateSuspect, Vsn: []uint8{1, 5, 2, 2, 5, 5}})
	pp.Write([]byte("xyz"))
	fmt.Printf("PUSHPULL %s\n", hex.EncodeToString(pp.Bytes()))
}

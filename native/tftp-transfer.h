/*
 * What native/tftp-transfer.c (the Node-API side) and native/tftp-transfer-thread.c (a transfer's
 * thread) share: the engine of one environment, one transfer, one message to JS.
 */
#ifndef PATCHKAST_TFTP_TRANSFER_H
#define PATCHKAST_TFTP_TRANSFER_H
#define NAPI_VERSION 8
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <node_api.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

enum outcome { OUTCOME_COMPLETED = 0, OUTCOME_TIMEOUT = 1, OUTCOME_ENDED = 2, OUTCOME_SOCKET_ERROR = 3 };
enum message_kind { MESSAGE_PACKET = 0, MESSAGE_ENDED = 1 };

/* Largest datagram we read from a client. An ACK is 4 octets; anything else goes to JS to decode. */
#define RECEIVE_BUFFER 65536
/*
 * Datagrams from the client that are not ACKs and wait for JS to decode them; more are dropped
 * unread, as a full socket buffer would drop them for the JS engine. A client only reaches its own
 * transfer's socket (it is connected), so this bounds what one client can queue in memory.
 */
#define MAX_PENDING_PACKETS 64
/* A thread's stack: the loop needs a few hundred bytes, the receive buffer is on the heap. */
#define THREAD_STACK (256 * 1024)

typedef struct transfer transfer;
typedef struct message message;

/*
 * One per environment (the main thread, or a worker that loads the module). Never freed: a thread
 * may still be on its way out when the environment goes, and it must find `closed` set rather than
 * freed memory. It is a few dozen bytes per environment.
 */
typedef struct engine {
  napi_threadsafe_function tsfn;
  /* Transfers started and not yet reported ended; touched on the JS thread only. */
  uint32_t running;
  pthread_mutex_t lock; /* guards everything below */
  pthread_cond_t thread_left;
  int closed; /* the thread-safe function is gone: post nothing */
  transfer *threads; /* transfers whose thread is alive, for the teardown */
  uint32_t thread_count;
} engine;

struct transfer {
  engine *owner;
  transfer *next, *prev; /* in owner->threads while the thread runs */
  int fd;
  uint32_t id;
  atomic_int refs; /* the thread and the JS handle each hold one */
  pthread_mutex_t lock; /* guards fd against close/shutdown races, and the end request */
  int started;
  int finished; /* fd closed */
  atomic_int end_requested;
  uint8_t *end_packet;
  size_t end_packet_len;
  /* The plan (agent/serve/tftp/transfer.ts TransferPlan). data stays alive through data_ref. */
  const uint8_t *data;
  size_t size;
  napi_ref data_ref;
  uint32_t blksize, windowsize, retries;
  double initial_timeout_ms, max_timeout_ms;
  uint8_t *oack;
  size_t oack_len;
  uint8_t *timeout_error;
  size_t timeout_error_len;
  /* Packets posted to JS and not handled yet: a client flooding its own transfer port is bounded by it. */
  atomic_int pending_packets;
  /* Allocated by start(), so the end always reaches JS, even when memory is short by then. */
  struct message *ended_message;
};

struct message {
  uint32_t id;
  int kind;
  /* A packet message holds a reference on its transfer, to count it off pending_packets. */
  transfer *from;
  uint8_t *packet;
  size_t packet_len;
  double ended[6]; /* outcome, acked, highest block sent, DATA packets, timeouts, duration ms */
  napi_ref data_ref;
};

/* A transfer's thread (tftp-transfer-thread.c): sends, reads ACKs, posts "ended", lets go of t. */
void *transfer_run(void *arg);
/* Drops one reference; the last one frees t. */
void transfer_release(transfer *t);
/* Closes t's socket once, under its lock. */
void transfer_close_socket(transfer *t);
/* Takes t off its engine's list of live threads and wakes a waiting teardown. */
void transfer_leave(transfer *t);

#endif

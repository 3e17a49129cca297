/*
 * parley-ps-stream: streaming speech recognition with CMU PocketSphinx for the Parley agent.
 *
 * The model is loaded once at start-up; the process then serves one audio stream until it is
 * told to quit or its stdin closes.
 *
 * Input (stdin), a sequence of frames:
 *   1 byte  kind   'A' audio: payload is 16 kHz mono signed 16-bit little-endian PCM
 *                  'F' flush: end the current utterance now and report its final hypothesis
 *                  'Q' quit:  report any utterance in progress, then exit 0
 *   4 bytes length of the payload, unsigned little-endian (0 for 'F' and 'Q')
 *   payload
 *
 * Output (stdout), one JSON object per line:
 *   {"type":"ready","loadMs":N}                     model loaded, audio accepted from now on
 *   {"type":"start","atMs":N}                       speech began (PocketSphinx's own VAD)
 *   {"type":"partial","text":"..."}                 the hypothesis so far changed
 *   {"type":"final","text":"...","reason":R,"speech":B,"startMs":N,"endMs":N}
 *        R is "silence" (the VAD saw the speech end) or "flush"/"quit" (asked for);
 *        B tells whether speech was detected in that utterance. A flush always
 *        answers with exactly one final, even an empty one, so the caller can wait for it.
 *   {"type":"error","message":"..."}                then exit 1
 *
 * Options: every PocketSphinx option (-hmm, -lm, -dict, -vad_postspeech, ...) plus
 *   -bias_lm FILE     a small ARPA/binary LM interpolated with -lm (domain biasing)
 *   -bias_weight W    weight of the bias LM in the interpolation, 0 < W < 1 (default 0.3)
 *   -partial_ms N     how much audio passes between partial hypotheses (default 200)
 *   -serve PATH       serve streams over a Unix socket instead (below)
 * Times are in milliseconds of audio received since the stream started.
 *
 * Serving (-serve PATH): the model is loaded once, then every connection to PATH is one stream,
 * served by a child forked from the loaded process: it starts in a millisecond and shares the
 * model's memory with every other stream. A connection first sends one frame
 *   'C' config: lines "partial_ms=N" and "bias_weight=W", then optionally a line "bias_lm" and
 *               the bias LM's ARPA text up to the end of the payload
 * and then speaks the protocol above; the child's "ready" names its pid. The biased search of
 * each bias LM is built once, in the serving process, so later streams with the same LM start at
 * once (the last CACHED_SEARCHES are kept). The server prints "ready" on stdout once listening and
 * exits when its stdin closes (whoever started it is gone); streams in progress go on.
 */
#include <pocketsphinx.h>
#include <sphinxbase/cmn.h>
#include <sphinxbase/err.h>
#include <sphinxbase/feat.h>
#include <sphinxbase/ngram_model.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define SAMPLE_RATE 16000
/* The name PocketSphinx gives the search of -lm (its internal GENERAL_SEARCH). */
#define GENERAL_SEARCH "_default"
#define MAX_PAYLOAD (1 << 20)

static ps_decoder_t *ps;
static int utt_in_speech; /* speech detected in the current utterance */
static int64_t samples_total;
static int64_t utt_start_sample;
static int64_t samples_since_partial;
static int64_t partial_every_samples = SAMPLE_RATE / 5;
static char *last_partial;
static mfcc_t *cmn_at_utt_start;

/*
 * Live cepstral mean normalisation adapts to whatever the VAD lets through. An utterance with
 * no words (the VAD warming up on a silent line, a cough, line noise) would drag the mean away
 * from speech and garble the next real utterance, so such utterances leave the mean untouched.
 */
static cmn_t *live_cmn(void) { return ps_get_feat(ps)->cmn_struct; }

static void save_cmn(void) {
  if (live_cmn()) cmn_live_get(live_cmn(), cmn_at_utt_start);
}

static void restore_cmn(void) {
  if (live_cmn()) cmn_live_set(live_cmn(), cmn_at_utt_start);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int64_t samples_to_ms(int64_t samples) { return samples * 1000 / SAMPLE_RATE; }

static void write_json_string(const char *s) {
  putchar('"');
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    if (*p == '"' || *p == '\\') {
      putchar('\\');
      putchar(*p);
    } else if (*p < 0x20) {
      printf("\\u%04x", *p);
    } else {
      putchar(*p);
    }
  }
  putchar('"');
}

static void fail(const char *message) {
  printf("{\"type\":\"error\",\"message\":");
  write_json_string(message);
  printf("}\n");
  fflush(stdout);
  exit(1);
}

static void emit_partial(void) {
  int32 score;
  const char *hyp = ps_get_hyp(ps, &score);
  if (!hyp || !*hyp) return;
  if (last_partial && strcmp(last_partial, hyp) == 0) return;
  free(last_partial);
  last_partial = strdup(hyp);
  printf("{\"type\":\"partial\",\"text\":");
  write_json_string(hyp);
  printf("}\n");
  fflush(stdout);
}

/* Ends the current utterance, reports it and opens the next one. */
static void finish_utterance(const char *reason, int restart) {
  int32 score;
  if (ps_end_utt(ps) < 0) fail("ps_end_utt failed");
  const char *hyp = ps_get_hyp(ps, &score);
  if (!hyp || !*hyp) restore_cmn();
  printf("{\"type\":\"final\",\"text\":");
  write_json_string(utt_in_speech ? hyp : "");
  printf(",\"reason\":\"%s\",\"speech\":%s,\"startMs\":%lld,\"endMs\":%lld}\n", reason,
         utt_in_speech ? "true" : "false", (long long)samples_to_ms(utt_start_sample),
         (long long)samples_to_ms(samples_total));
  fflush(stdout);
  utt_in_speech = 0;
  samples_since_partial = 0;
  free(last_partial);
  last_partial = NULL;
  utt_start_sample = samples_total;
  save_cmn();
  if (restart && ps_start_utt(ps) < 0) fail("ps_start_utt failed");
}

static void process_audio(const int16 *samples, size_t n) {
  if (ps_process_raw(ps, samples, n, FALSE, FALSE) < 0) fail("ps_process_raw failed");
  samples_total += (int64_t)n;
  int in_speech = ps_get_in_speech(ps);
  if (in_speech && !utt_in_speech) {
    utt_in_speech = 1;
    utt_start_sample = samples_total - (int64_t)n;
    samples_since_partial = 0;
    printf("{\"type\":\"start\",\"atMs\":%lld}\n", (long long)samples_to_ms(utt_start_sample));
    fflush(stdout);
  }
  if (utt_in_speech) {
    samples_since_partial += (int64_t)n;
    if (samples_since_partial >= partial_every_samples) {
      samples_since_partial = 0;
      emit_partial();
    }
    if (!in_speech) finish_utterance("silence", 1);
  }
}

static int read_exact(void *buf, size_t n) { return fread(buf, 1, n, stdin) == n; }

/*
 * Adds a search named `name` over the interpolation of `general` (retained, not consumed) and the
 * bias LM at `bias_path`. Returns 0, or -1 with `*why` set.
 */
static int add_biased_search(const char *name, ngram_model_t *general, const char *bias_path,
                             float32 bias_weight, const char **why) {
  cmd_ln_t *config = ps_get_config(ps);
  ngram_model_t *bias = ngram_model_read(config, bias_path, NGRAM_AUTO, ps_get_logmath(ps));
  if (!bias) {
    *why = "cannot read the bias language model";
    return -1;
  }
  ngram_model_t *models[2] = {ngram_model_retain(general), bias};
  char *names[2] = {"general", "bias"};
  const float32 weights[2] = {1.0f - bias_weight, bias_weight};
  ngram_model_t *set = ngram_model_set_init(config, models, names, weights, 2);
  if (!set) {
    *why = "cannot interpolate the language models";
    return -1;
  }
  if (ps_set_lm(ps, name, set) < 0) {
    *why = "ps_set_lm failed";
    return -1;
  }
  return 0;
}

/* Serves one stream on stdin/stdout with the current search, until quit or end of input. */
static int serve_stream(double started) {
  cmn_at_utt_start = calloc(live_cmn() ? (size_t)live_cmn()->veclen : 1, sizeof(mfcc_t));
  if (!cmn_at_utt_start) fail("out of memory");
  save_cmn();
  if (ps_start_utt(ps) < 0) fail("ps_start_utt failed");
  printf("{\"type\":\"ready\",\"loadMs\":%.0f,\"pid\":%d}\n", now_ms() - started, (int)getpid());
  fflush(stdout);

  int16 *buf = malloc(MAX_PAYLOAD);
  if (!buf) fail("out of memory");
  for (;;) {
    unsigned char header[5];
    if (!read_exact(header, sizeof header)) break; /* stdin closed: same as quit */
    uint32_t len = (uint32_t)header[1] | (uint32_t)header[2] << 8 | (uint32_t)header[3] << 16 |
                   (uint32_t)header[4] << 24;
    if (len > MAX_PAYLOAD || len % 2 != 0) fail("bad frame length");
    if (len > 0 && !read_exact(buf, len)) break;
    switch (header[0]) {
      case 'A':
        process_audio(buf, len / 2);
        break;
      case 'F':
        finish_utterance("flush", 1);
        break;
      case 'Q':
        goto quit;
      default:
        fail("unknown frame kind");
    }
  }
quit:
  if (utt_in_speech) finish_utterance("quit", 0);
  free(buf);
  free(last_partial);
  free(cmn_at_utt_start);
  return 0;
}

/* ---- serving many streams from one loaded model ---- */

#define CACHED_SEARCHES 8
static struct {
  char name[24];
  unsigned long used;
} cached[CACHED_SEARCHES];
static unsigned long use_clock;

static int read_fd_exact(int fd, void *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, (char *)buf + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return 0;
    got += (size_t)r;
  }
  return 1;
}

static uint64_t fnv1a(const char *data, size_t n, uint64_t h) {
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)data[i]) * 1099511628211ULL;
  return h;
}

/*
 * The search for a bias LM (ARPA text) at this weight: built in this (serving) process on first
 * use, so every later stream forked from it has it ready. Returns its name, or NULL with `*why`.
 */
static const char *biased_search(ngram_model_t *general, const char *lm, size_t lm_len,
                                 float32 weight, const char **why) {
  uint64_t h = fnv1a(lm, lm_len, fnv1a((const char *)&weight, sizeof weight, 14695981039346656037ULL));
  char name[24];
  snprintf(name, sizeof name, "b%016llx", (unsigned long long)h);
  int slot = -1;
  for (int i = 0; i < CACHED_SEARCHES; i++) {
    if (strcmp(cached[i].name, name) == 0) {
      cached[i].used = ++use_clock;
      return cached[i].name;
    }
    if (slot < 0 || cached[i].used < cached[slot].used) slot = i;
  }
  char path[] = "/tmp/parley-ps-bias-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) {
    *why = "cannot write the bias language model";
    return NULL;
  }
  int written = write(fd, lm, lm_len) == (ssize_t)lm_len;
  close(fd);
  int added = written ? add_biased_search(name, general, path, weight, why) : -1;
  unlink(path);
  if (!written) *why = "cannot write the bias language model";
  if (added < 0) return NULL;
  if (cached[slot].name[0]) ps_unset_search(ps, cached[slot].name);
  snprintf(cached[slot].name, sizeof cached[slot].name, "%s", name);
  cached[slot].used = ++use_clock;
  return cached[slot].name;
}

/* Replies to a connection that cannot be served, then closes it. */
static void refuse(int conn, const char *message) {
  FILE *out = fdopen(conn, "w");
  if (!out) {
    close(conn);
    return;
  }
  FILE *saved = stdout;
  stdout = out;
  printf("{\"type\":\"error\",\"message\":");
  write_json_string(message);
  printf("}\n");
  stdout = saved;
  fclose(out);
}

static int serve_forever(const char *socket_path, double started) {
  signal(SIGCHLD, SIG_IGN); /* children are reaped by the kernel */
  signal(SIGPIPE, SIG_IGN);
  int listener = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (listener < 0 || strlen(socket_path) >= sizeof addr.sun_path) fail("cannot make the socket");
  strcpy(addr.sun_path, socket_path);
  unlink(socket_path);
  if (bind(listener, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(listener, 64) < 0) {
    fail("cannot listen on the socket");
  }
  ngram_model_t *general = ps_get_lm(ps, GENERAL_SEARCH);
  if (!general) fail("no general language model (-lm)");
  printf("{\"type\":\"ready\",\"loadMs\":%.0f,\"pid\":%d}\n", now_ms() - started, (int)getpid());
  fflush(stdout);

  char *config = malloc(MAX_PAYLOAD + 1);
  if (!config) fail("out of memory");
  for (;;) {
    struct pollfd fds[2] = {{.fd = listener, .events = POLLIN}, {.fd = 0, .events = POLLIN}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[1].revents) {
      char byte;
      if (read(0, &byte, 1) <= 0) break; /* whoever started us is gone */
    }
    if (!(fds[0].revents & POLLIN)) continue;
    int conn = accept(listener, NULL, NULL);
    if (conn < 0) continue;
    double accepted = now_ms();
    /* A client that connects and says nothing must not hold up everyone else's streams. */
    struct timeval patience = {.tv_sec = 2};
    setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
    unsigned char header[5];
    if (!read_fd_exact(conn, header, sizeof header) || header[0] != 'C') {
      refuse(conn, "the first frame must be 'C' (config)");
      continue;
    }
    uint32_t len = (uint32_t)header[1] | (uint32_t)header[2] << 8 | (uint32_t)header[3] << 16 |
                   (uint32_t)header[4] << 24;
    if (len > MAX_PAYLOAD || !read_fd_exact(conn, config, len)) {
      refuse(conn, "bad config frame");
      continue;
    }
    config[len] = '\0';
    int64_t partial_samples = SAMPLE_RATE / 5;
    float32 weight = 0.3f;
    const char *lm = NULL;
    int vad_matches = 1;
    for (char *line = config; line && *line;) {
      char *next = strchr(line, '\n');
      if (next) *next++ = '\0';
      if (strncmp(line, "partial_ms=", 11) == 0) {
        partial_samples = (int64_t)atoi(line + 11) * SAMPLE_RATE / 1000;
      } else if (strncmp(line, "bias_weight=", 12) == 0) {
        weight = (float32)atof(line + 12);
      } else if (strncmp(line, "vad_postspeech=", 15) == 0) {
        vad_matches = atoi(line + 15) == cmd_ln_int32_r(ps_get_config(ps), "-vad_postspeech");
      } else if (strcmp(line, "bias_lm") == 0) {
        lm = next ? next : "";
        break;
      }
      line = next;
    }
    const char *why = NULL;
    const char *search = GENERAL_SEARCH;
    if (partial_samples <= 0) why = "partial_ms must be positive";
    if (!vad_matches) why = "vad_postspeech differs from the server's";
    if (!why && lm) {
      if (weight <= 0.0f || weight >= 1.0f) why = "bias_weight must be in (0, 1)";
      else search = biased_search(general, lm, strlen(lm), weight, &why);
    }
    if (why) {
      refuse(conn, why);
      continue;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t child = fork();
    if (child == 0) {
      close(listener);
      signal(SIGCHLD, SIG_DFL);
      struct timeval forever = {0};
      setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &forever, sizeof forever);
      dup2(conn, 0);
      dup2(conn, 1);
      close(conn);
      partial_every_samples = partial_samples;
      if (ps_set_search(ps, search) < 0) fail("ps_set_search failed");
      exit(serve_stream(accepted));
    }
    if (child < 0) refuse(conn, "fork failed");
    else close(conn);
  }
  unlink(socket_path);
  return 0;
}

int main(int argc, char *argv[]) {
  const char *bias_lm = NULL;
  const char *general_lm = NULL;
  const char *serve_path = NULL;
  float32 bias_weight = 0.3f;
  char **ps_argv = calloc((size_t)argc + 1, sizeof(char *));
  int ps_argc = 0;
  if (!ps_argv) fail("out of memory");
  ps_argv[ps_argc++] = argv[0];
  for (int i = 1; i < argc; i++) {
    int has_value = i + 1 < argc;
    if (strcmp(argv[i], "-bias_lm") == 0 && has_value) {
      bias_lm = argv[++i];
    } else if (strcmp(argv[i], "-bias_weight") == 0 && has_value) {
      bias_weight = (float32)atof(argv[++i]);
    } else if (strcmp(argv[i], "-partial_ms") == 0 && has_value) {
      partial_every_samples = (int64_t)atoi(argv[++i]) * SAMPLE_RATE / 1000;
    } else if (strcmp(argv[i], "-lm") == 0 && has_value) {
      general_lm = argv[++i];
    } else if (strcmp(argv[i], "-serve") == 0 && has_value) {
      serve_path = argv[++i];
    } else {
      ps_argv[ps_argc++] = argv[i];
    }
  }
  if (!general_lm) fail("missing -lm");
  if (serve_path && bias_lm) fail("-bias_lm is given per stream when serving");
  if (bias_lm && (bias_weight <= 0.0f || bias_weight >= 1.0f)) fail("-bias_weight must be in (0, 1)");
  if (partial_every_samples <= 0) fail("-partial_ms must be positive");
  /* One stream with a bias LM needs no search of the general LM alone: it is read below. */
  if (serve_path || !bias_lm) {
    ps_argv[ps_argc++] = "-lm";
    ps_argv[ps_argc++] = (char *)general_lm;
  }

  /* stdout carries the protocol: PocketSphinx's own logging goes to stderr */
  err_set_logfp(stderr);
  double started = now_ms();
  cmd_ln_t *config = cmd_ln_parse_r(NULL, ps_args(), ps_argc, ps_argv, TRUE);
  if (!config) fail("invalid PocketSphinx options");
  if (cmd_ln_float32_r(config, "-samprate") != SAMPLE_RATE) fail("-samprate must be 16000");
  ps = ps_init(config);
  if (!ps) fail("cannot load the PocketSphinx model (check -hmm, -lm and -dict)");
  if (serve_path) return serve_forever(serve_path, started);
  if (bias_lm) {
    const char *why = NULL;
    ngram_model_t *general = ngram_model_read(config, general_lm, NGRAM_AUTO, ps_get_logmath(ps));
    if (!general) fail("cannot read the language model (-lm)");
    if (add_biased_search("biased", general, bias_lm, bias_weight, &why) < 0) fail(why);
    ngram_model_free(general); /* the search holds its own reference */
    if (ps_set_search(ps, "biased") < 0) fail("ps_set_search failed");
  }
  int status = serve_stream(started);
  ps_free(ps);
  return status;
}

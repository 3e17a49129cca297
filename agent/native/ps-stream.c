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
 * Times are in milliseconds of audio received since the process started.
 */
#include <pocketsphinx.h>
#include <sphinxbase/cmn.h>
#include <sphinxbase/err.h>
#include <sphinxbase/feat.h>
#include <sphinxbase/ngram_model.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SAMPLE_RATE 16000
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

/* Loads the general LM and the bias LM and searches with their interpolation. */
static void use_biased_lm(const char *general_path, const char *bias_path, float32 bias_weight) {
  cmd_ln_t *config = ps_get_config(ps);
  logmath_t *lmath = ps_get_logmath(ps);
  ngram_model_t *models[2];
  models[0] = ngram_model_read(config, general_path, NGRAM_AUTO, lmath);
  if (!models[0]) fail("cannot read the language model (-lm)");
  models[1] = ngram_model_read(config, bias_path, NGRAM_AUTO, lmath);
  if (!models[1]) fail("cannot read the bias language model (-bias_lm)");
  char *names[2] = {"general", "bias"};
  const float32 weights[2] = {1.0f - bias_weight, bias_weight};
  ngram_model_t *set = ngram_model_set_init(config, models, names, weights, 2);
  if (!set) fail("cannot interpolate the language models");
  if (ps_set_lm(ps, "biased", set) < 0) fail("ps_set_lm failed");
  if (ps_set_search(ps, "biased") < 0) fail("ps_set_search failed");
}

int main(int argc, char *argv[]) {
  const char *bias_lm = NULL;
  const char *general_lm = NULL;
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
    } else {
      ps_argv[ps_argc++] = argv[i];
    }
  }
  if (!general_lm) fail("missing -lm");
  if (bias_lm && (bias_weight <= 0.0f || bias_weight >= 1.0f)) fail("-bias_weight must be in (0, 1)");
  if (partial_every_samples <= 0) fail("-partial_ms must be positive");
  if (!bias_lm) {
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
  if (bias_lm) use_biased_lm(general_lm, bias_lm, bias_weight);
  cmn_at_utt_start = calloc(live_cmn() ? (size_t)live_cmn()->veclen : 1, sizeof(mfcc_t));
  if (!cmn_at_utt_start) fail("out of memory");
  save_cmn();
  if (ps_start_utt(ps) < 0) fail("ps_start_utt failed");
  printf("{\"type\":\"ready\",\"loadMs\":%.0f}\n", now_ms() - started);
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
  ps_free(ps);
  free(buf);
  free(last_partial);
  free(cmn_at_utt_start);
  return 0;
}

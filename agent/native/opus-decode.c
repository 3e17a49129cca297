/*
 * parley-opus-decode: decodes Opus packets with libopus for the Parley agent (the visitor's
 * pre-connect audio arrives as Opus in WebM; the agent demuxes it and hands the packets here).
 *
 * Input (stdin), a sequence of packets until end of file:
 *   4 bytes length of the packet, unsigned little-endian
 *   the packet
 * Output (stdout): the decoded audio, 48 kHz mono signed 16-bit little-endian PCM (libopus mixes
 *   a stereo stream down to mono itself).
 * On a packet libopus rejects, or a truncated one: a message on stderr, then exit 1.
 */
#include <opus.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define SAMPLE_RATE 48000
/* The longest Opus packet lasts 120 ms; 1275 bytes per frame, at most 48 frames. */
#define MAX_SAMPLES (SAMPLE_RATE * 120 / 1000)
#define MAX_PACKET (1275 * 48)

static int read_exactly(unsigned char *buf, size_t len) {
  return fread(buf, 1, len, stdin) == len;
}

int main(void) {
  int error;
  OpusDecoder *decoder = opus_decoder_create(SAMPLE_RATE, 1, &error);
  if (error != OPUS_OK) {
    fprintf(stderr, "parley-opus-decode: %s\n", opus_strerror(error));
    return 1;
  }
  static unsigned char packet[MAX_PACKET];
  static opus_int16 pcm[MAX_SAMPLES];
  unsigned char header[4];
  for (long index = 0; read_exactly(header, 4); index++) {
    uint32_t len = header[0] | header[1] << 8 | header[2] << 16 | (uint32_t)header[3] << 24;
    if (len == 0 || len > MAX_PACKET || !read_exactly(packet, len)) {
      fprintf(stderr, "parley-opus-decode: packet %ld: truncated or %u bytes long\n", index, len);
      return 1;
    }
    int samples = opus_decode(decoder, packet, (opus_int32)len, pcm, MAX_SAMPLES, 0);
    if (samples < 0) {
      fprintf(stderr, "parley-opus-decode: packet %ld: %s\n", index, opus_strerror(samples));
      return 1;
    }
    if (fwrite(pcm, sizeof(opus_int16), (size_t)samples, stdout) != (size_t)samples) return 1;
  }
  opus_decoder_destroy(decoder);
  return fflush(stdout) == 0 && !ferror(stdin) ? 0 : 1;
}

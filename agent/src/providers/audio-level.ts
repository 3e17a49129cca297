/** Root mean square of 16-bit samples, 0..1 of full scale (0 for no samples). */
export function rms(samples: Int16Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += (s / 32_768) ** 2;
  return Math.sqrt(sum / samples.length);
}

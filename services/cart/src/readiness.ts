/**
 * Cart is ready when its storage answers and the failedReadinessProbe flag
 * (the demo's "make the readiness probe fail" switch) is off. Both are asked
 * every time, so turning the flag off brings health back without a restart.
 */
export async function cartReady(
  storageAnswers: () => Promise<boolean>,
  failedReadinessProbe: () => Promise<boolean>,
): Promise<boolean> {
  const [storageUp, forcedFailure] = await Promise.all([
    storageAnswers().catch(() => false),
    failedReadinessProbe().catch(() => false),
  ]);
  return storageUp && !forcedFailure;
}

import type { Deps } from '../deps.js';
import type { BatchOf } from './correlate-pending.js';

/**
 * The alert group of a stored delivery, or null once it is processed. A delivery stored without
 * its group (by an earlier version) is given it here, so the group's next pass finds it.
 */
export async function groupOfDelivery(deps: Pick<Deps, 'db'>, deliveryId: string, batchOf: BatchOf): Promise<string | null> {
  const delivery = await deps.db.webhookDelivery.findUnique({ where: { id: deliveryId }, select: { source: true, payload: true, groupKey: true, processedAt: true } });
  if (!delivery) throw new Error(`delivery ${deliveryId} does not exist`);
  if (delivery.processedAt) return null;
  if (delivery.groupKey) return delivery.groupKey;
  const { groupKey } = batchOf(delivery);
  await deps.db.webhookDelivery.update({ where: { id: deliveryId }, data: { groupKey } });
  return groupKey;
}

/** The review as Postgres holds it: who owns it, when it is due, whether it is done. */
export interface ReviewStatus {
  owner: string | null;
  dueAt: Date;
  state: 'draft' | 'done';
  completedAt: Date | null;
  completedBy: string | null;
}

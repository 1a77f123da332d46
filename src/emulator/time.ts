/** A moment as ServiceNow writes a date-time column over the API: `YYYY-MM-DD HH:mm:ss`, in UTC. */
export function glideDateTime(moment: Date = new Date()): string {
  return moment.toISOString().slice(0, 19).replace('T', ' ');
}

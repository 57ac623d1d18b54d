import "server-only";
import { availableStorages, defaultStorage } from "../storage";

// Where values can live on this vault (for the dashboard's storage selector and API clients).
export function storageLocations() {
  const available = availableStorages();
  const fallback = defaultStorage();
  return (["DATABASE", "SSM", "ENV"] as const).map((storage) => ({ storage, available: available.includes(storage), default: storage === fallback }));
}

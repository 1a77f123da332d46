/** How big each case is. */
export interface BenchSizes {
  /** Users of the initial-provisioning case, of its bare-engine ceiling, and of the smaller no-change reconcile. */
  readonly initial: number;
  readonly link: number;
  readonly budgetUsers: number;
  /** Requests per second the emulator allows in the budget case. */
  readonly budgetLimit: number;
  /** Users of the larger no-change reconcile (and of the larger footprint). */
  readonly noChange: number;
  /** Changes the latency case times, one after another, and the people of its directory. */
  readonly latencyChanges: number;
  readonly latencyPeople: number;
}

/** The sizes of the table: what the README's figures are measured at. */
export const fullSizes: BenchSizes = {
  initial: 10_000,
  link: 10_000,
  budgetUsers: 2_000,
  budgetLimit: 50,
  noChange: 100_000,
  latencyChanges: 20,
  latencyPeople: 1_000,
};

/** Every case, small: for daily use, in under three minutes. */
export const quickSizes: BenchSizes = {
  initial: 300,
  link: 300,
  budgetUsers: 250,
  budgetLimit: 50,
  noChange: 1_200,
  latencyChanges: 5,
  latencyPeople: 100,
};

/** The product's default page sizes (directory, ServiceNow), which the raw read uses too. */
export const pageSizes = { directory: 500, servicenow: 1000 };

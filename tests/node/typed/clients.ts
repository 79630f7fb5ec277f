// Type-checked, never run: the generated types flow through Apollo Client and urql, so a
// frontend that reads a field the schema does not have (or forgets a null) fails `tsc`.
import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";
import { Client, fetchExchange } from "@urql/core";

import {
  ActorWithFiguresDocument,
  DatasetChangedDocument,
  EventsPageDocument,
  type EventDetailsFragment,
  type EventType,
  type FigureKind,
} from "../generated/graphql.js";

const apollo = new ApolloClient({
  link: new HttpLink({ uri: "http://127.0.0.1:8000/graphql" }),
  cache: new InMemoryCache(),
});

export async function eventTitles(): Promise<string[]> {
  const { data } = await apollo.query({ query: EventsPageDocument, variables: { first: 10 } });
  // @ts-expect-error `first` is required by the operation
  void apollo.query({ query: EventsPageDocument, variables: { after: "x" } });
  return data?.events.edges.map((edge) => edge.node.title) ?? [];
}

export function claimants(event: EventDetailsFragment): string[] {
  // @ts-expect-error a figure's claimant may be unknown (null)
  void event.figures.nodes.map((figure) => figure.claimant.name);
  // @ts-expect-error `headline` is a Source field, not an Event field
  void event.headline;
  return event.figures.nodes.flatMap((figure) => (figure.claimant ? [figure.claimant.name] : []));
}

export function isUnrest(type: EventType): boolean {
  // Enums are string unions of the schema's values.
  // @ts-expect-error not an event type
  void (type === "ELECTION");
  return type === "RIOTS" || type === "PROTESTS";
}

const urql = new Client({ url: "http://127.0.0.1:8000/graphql", exchanges: [fetchExchange] });

export async function figuresReportedBy(slug: string): Promise<Array<[FigureKind, number | null]>> {
  const result = await urql.query(ActorWithFiguresDocument, { slug }).toPromise();
  const actor = result.data?.actor;
  if (!actor) return [];
  return actor.reportedFigures.nodes.map((figure) => [figure.kind, figure.value]);
}

// Subscriptions are typed the same way (the transport link is left out: types only).
export function versionNumbers(onNumber: (dataset: string, number: number) => void): () => void {
  const subscription = apollo
    .subscribe({ query: DatasetChangedDocument, variables: { datasets: ["kazakhstan-2022"] } })
    .subscribe(({ data }) => {
      if (!data) return;
      const version = data.datasetChanged;
      // @ts-expect-error load kinds are the schema's enum values, upper case
      void (version.loadKind === "seed");
      onNumber(version.datasetName, version.number);
    });
  return () => subscription.unsubscribe();
}

-- One database per service: a service never reads another service's database.
CREATE DATABASE linesight_audit;
CREATE DATABASE linesight_ingest;
CREATE DATABASE linesight_analytics;
CREATE DATABASE linesight_reporting;

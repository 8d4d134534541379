# venueops in a container, for scheduled reconciles (examples/schedules/kubernetes-cronjob.yaml).
#   docker build -t venueops .  &&  docker run --rm -e OPENREVIEW_API_BASEURL_V2=... venueops reconcile /venues
FROM python:3.11-slim
RUN useradd --create-home --uid 10001 venueops
WORKDIR /opt/venueops
COPY pyproject.toml README.md ./
COPY venueops ./venueops
RUN pip install --no-cache-dir . && rm -rf /root/.cache
USER venueops
WORKDIR /home/venueops
ENTRYPOINT ["venueops"]
CMD ["--help"]

# syncnode: build with Maven, run the jar on a JRE as a non-root user.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin syncnode
WORKDIR /app
COPY --from=build /src/target/syncnode.jar /app/syncnode.jar
COPY conf/node.json /app/conf/node.json
# In a container the node listens beyond loopback, so requests need API keys
# (create one with: docker run ... syncnode admin create-key --tenant NAME).
# Point SYNCNODE_PG_* at the database.
ENV SYNCNODE_HTTP_HOST=0.0.0.0 SYNCNODE_AUTH_MODE=api-key
USER syncnode
EXPOSE 8766
HEALTHCHECK --interval=10s --timeout=3s --start-period=40s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8766/health || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-Djava.net.preferIPv4Stack=true", "-jar", "/app/syncnode.jar"]
